# dopt-test: --expect none
FROM debian:bookworm
ENV TOKEN_URL=https://auth.example.com
