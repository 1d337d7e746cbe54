FROM debian:bookworm
RUN for i in 1 2; do apt-get update && apt-get install -y curl; done
