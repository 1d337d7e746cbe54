# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN --mount=type=secret,id=tok apt-get install --no-install-recommends -y curl ca-certificates
