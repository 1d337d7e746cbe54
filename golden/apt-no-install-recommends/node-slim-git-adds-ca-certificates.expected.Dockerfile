# dopt-test: --unsafe-fixes
FROM node:20-slim
RUN apt-get update \
    && apt-get install --no-install-recommends -y git ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN git clone https://github.com/example/app /app
