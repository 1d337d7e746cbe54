FROM debian:bookworm
RUN apt-get install curl || true
