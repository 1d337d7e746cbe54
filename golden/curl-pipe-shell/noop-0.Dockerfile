# dopt-test: --expect none
FROM debian:bookworm
RUN curl -fsSLo /tmp/i.sh https://get.example.com && sh /tmp/i.sh
