# dopt-test: --expect DOP405:3
FROM debian:bookworm
ENV API_KEY abc123
