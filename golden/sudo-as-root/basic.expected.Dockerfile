# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update
