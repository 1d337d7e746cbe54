# dopt-test: --expect DOP406:3
FROM debian:bookworm
RUN apt-get update && apt-get install -y sudo curl && rm -rf /var/lib/apt/lists/*
