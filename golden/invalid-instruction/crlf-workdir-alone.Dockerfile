# dopt-test: --expect DOP001:3
FROM debian:bookworm-slim
workdir
