FROM debian:bookworm
RUN yes | apt-get install curl
