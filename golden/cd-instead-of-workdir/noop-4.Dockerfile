# dopt-test: --expect none
FROM debian:bookworm
WORKDIR /usr/src
RUN make
