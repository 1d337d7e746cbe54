# dopt-test: --expect DOP405:3
FROM debian:bookworm
ENV DB_PASSWORD=changeme
