FROM debian:bookworm
RUN ["sh", "-c", "apk add curl"]
