# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN test -n `uname -m` && apt-get install --no-install-recommends -y curl ca-certificates
