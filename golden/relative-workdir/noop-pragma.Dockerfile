# dopt-test: --expect none
FROM debian:bookworm
WORKDIR /app
# hadolint ignore=DL3000
WORKDIR src
