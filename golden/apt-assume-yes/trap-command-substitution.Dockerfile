FROM debian:bookworm
RUN test -n "$(uname -m)" && apt-get install curl
