# dopt-test: --expect none
FROM debian:bookworm
RUN apt-get remove -y sudo
