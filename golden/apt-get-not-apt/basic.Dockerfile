# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt update && apt install -y curl
