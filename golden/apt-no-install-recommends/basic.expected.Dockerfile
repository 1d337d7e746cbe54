# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update && apt-get install --no-install-recommends -y curl ca-certificates && rm -rf /var/lib/apt/lists/*
