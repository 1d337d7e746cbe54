# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN DEBIAN_FRONTEND=noninteractive apt-get install -y "$PKG" || true
