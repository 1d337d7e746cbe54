# dopt-test: --unsafe-fixes --expect none
FROM debian:bookworm
# hadolint ignore=DL3027
RUN apt install -y curl
