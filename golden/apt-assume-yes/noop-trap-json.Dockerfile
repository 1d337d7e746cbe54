FROM debian:bookworm
RUN ["sh", "-c", "apt-get install curl"]
