# dopt-test: --expect none
FROM debian:bookworm
RUN echo "apt-get install sudo"
