# dopt-test: --expect DOP404:3
FROM debian:bookworm
RUN apt-get update && curl -L https://example.com/i.sh | sudo sh || true
