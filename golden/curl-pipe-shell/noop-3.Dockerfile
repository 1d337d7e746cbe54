# dopt-test: --expect none
FROM debian:bookworm
RUN cat script.sh | sh
