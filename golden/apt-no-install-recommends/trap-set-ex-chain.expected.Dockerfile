# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN set -ex; \
    apt-get install --no-install-recommends -y curl ca-certificates
