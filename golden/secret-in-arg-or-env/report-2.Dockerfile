# dopt-test: --expect DOP405:3
FROM debian:bookworm
ARG AWS_SECRET_ACCESS_KEY
