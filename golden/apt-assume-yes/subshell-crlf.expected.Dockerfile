FROM debian:bookworm
RUN (apt-get update && apt-get upgrade -y) || true
