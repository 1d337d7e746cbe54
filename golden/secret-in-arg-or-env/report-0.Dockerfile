# dopt-test: --expect DOP405:3
FROM debian:bookworm
ARG NPM_TOKEN
