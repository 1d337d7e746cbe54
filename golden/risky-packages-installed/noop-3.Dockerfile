# dopt-test: --expect none
FROM debian:bookworm
RUN apk add --no-cache curl
