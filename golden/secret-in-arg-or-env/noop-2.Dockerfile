# dopt-test: --expect none
FROM debian:bookworm
ARG DB_USER=app
