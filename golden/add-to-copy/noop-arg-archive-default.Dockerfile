# dopt-test: --unsafe-fixes --expect none
FROM debian:bookworm-slim
ARG ARCHIVE=app-1.0.tar.gz
ADD ${ARCHIVE} /opt/
