# dopt-test: --unsafe-fixes --expect none
FROM debian:bookworm-slim
ADD dist/*.tar.* /opt/
