# dopt-test: --expect none
ARG BASE=debian:bookworm
FROM $BASE
RUN true
