# dopt-test: --expect none
FROM debian:bookworm
# hadolint ignore=DL3008
RUN apt-get install -y curl
RUN echo apt-get install curl
