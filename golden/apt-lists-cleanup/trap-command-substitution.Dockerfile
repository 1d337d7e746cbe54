FROM debian:bookworm
RUN test -n "$(uname -m)" && apt-get update && apt-get install -y curl
