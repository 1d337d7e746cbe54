# dopt-test: --expect none
FROM debian:bookworm
RUN apt-get install -y curl wget
