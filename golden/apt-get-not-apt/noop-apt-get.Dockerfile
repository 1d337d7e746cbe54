# dopt-test: --unsafe-fixes --expect none
FROM debian:bookworm
RUN apt-get install -y apt-utils && echo apt install
