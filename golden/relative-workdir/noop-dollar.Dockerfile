# dopt-test: --expect none
FROM debian:bookworm
WORKDIR /app
WORKDIR $SUB
