# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN for i in 1 2; do apt-get install --no-install-recommends -y curl ca-certificates; done
