# dopt-test: --expect none
FROM debian:bookworm
RUN git clone x && cd x && make
