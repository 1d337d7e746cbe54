FROM debian:bookworm
RUN --mount=type=secret,id=tok apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
