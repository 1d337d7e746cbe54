# dopt-test: --expect none
FROM debian:bookworm
RUN chmod +x /entrypoint.sh
