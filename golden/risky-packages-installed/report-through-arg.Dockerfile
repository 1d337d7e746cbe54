FROM debian:bookworm
ARG EXTRA="openssh-server vim"
RUN apt-get update && apt-get install -y --no-install-recommends $EXTRA && rm -rf /var/lib/apt/lists/*
