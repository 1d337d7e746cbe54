# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get install --no-install-recommends -y curl ca-certificates || true
