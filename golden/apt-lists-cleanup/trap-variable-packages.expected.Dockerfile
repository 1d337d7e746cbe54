FROM debian:bookworm
RUN apt-get update && apt-get install -y curl $PKGS && rm -rf /var/lib/apt/lists/*
