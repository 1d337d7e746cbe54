FROM debian:bookworm
RUN apt-get update && apt-get install -y curl || true && rm -rf /var/lib/apt/lists/*
