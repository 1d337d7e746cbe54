# dopt-test: --expect none
FROM debian:bookworm
ENV KEYBOARD=us
