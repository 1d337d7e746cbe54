# dopt-test: --expect DOP401:3
FROM debian:bookworm
RUN apt-get update && apt-get upgrade -y
