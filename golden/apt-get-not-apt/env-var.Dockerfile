# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN DEBIAN_FRONTEND=noninteractive apt install -y "$PKG" || true
