# dopt-test: --expect DOP001:3
FROM debian:bookworm-slim
RUNN apt-get update
