# dopt-test: --expect none
FROM debian:bookworm
RUN (cd /usr/src && make)
