# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update && apt-get install -y curl
