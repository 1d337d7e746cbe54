# dopt-test: --expect none
FROM debian:bookworm
RUN make -C /usr/src
