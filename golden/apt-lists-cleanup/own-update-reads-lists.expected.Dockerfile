# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update && rm -rf /var/lib/apt/lists/*
WORKDIR /src
RUN apt-get update && apt-cache policy curl && apt-get install -y --no-install-recommends curl && apt-cache show curl && rm -rf /var/lib/apt/lists/*
