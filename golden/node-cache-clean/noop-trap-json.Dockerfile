FROM debian:bookworm
RUN ["sh", "-c", "npm ci"]
