# dopt-test: --expect none
FROM debian:bookworm
RUN chmod 755 /app
