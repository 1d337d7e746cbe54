# dopt-test: --expect none
FROM debian:bookworm
ADD app.tar.gz /opt/
