# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN if [ -f /etc/os-release ]; then apt-get install --no-install-recommends -y curl ca-certificates; fi
