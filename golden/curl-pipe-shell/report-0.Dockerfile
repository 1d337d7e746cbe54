# dopt-test: --expect DOP404:3
FROM debian:bookworm
RUN curl -fsSL https://get.example.com | sh
