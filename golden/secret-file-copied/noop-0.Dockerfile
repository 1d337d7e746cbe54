# dopt-test: --expect none
FROM debian:bookworm
COPY .env.example /app/
