# dopt-test: --expect none
FROM debian:bookworm
COPY certs/ca.crt /usr/local/share/ca-certificates/
