# dopt-test: --expect DOP406:3
FROM debian:bookworm
RUN apk add --no-cache openssh dropbear
