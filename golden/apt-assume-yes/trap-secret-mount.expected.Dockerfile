FROM debian:bookworm
RUN --mount=type=secret,id=tok apt-get install -y curl
