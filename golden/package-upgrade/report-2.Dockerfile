# dopt-test: --expect DOP401:3
FROM debian:bookworm
RUN apk upgrade --no-cache
