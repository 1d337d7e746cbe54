# dopt-test: --unsafe-fixes --expect DOP503:2
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends git sudo && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --shell /bin/bash vscode
COPY . /workspace
CMD ["sleep", "3600"]
