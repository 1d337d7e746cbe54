FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends p7zip-full && \
    apt-get clean && rm -rf /var/lib/apt/lists/*
