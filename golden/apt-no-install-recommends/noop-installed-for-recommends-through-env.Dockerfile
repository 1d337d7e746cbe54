# dopt-test: --unsafe-fixes
FROM debian:bookworm
ENV PIP_PKGS="python3-pip python3-venv"
RUN apt-get update && apt-get install -y $PIP_PKGS && rm -rf /var/lib/apt/lists/*
