# dopt-test: --expect none
FROM debian:bookworm AS base
WORKDIR /srv
FROM base
COPY . .
