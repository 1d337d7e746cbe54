FROM debian:bookworm
RUN echo start \
    # note
    && apt-get update && apt-get install -y curl \
    && rm -rf /var/lib/apt/lists/*
