FROM debian:bookworm
RUN ["sh", "-c", "apt-get update && apt-get install -y curl"]
