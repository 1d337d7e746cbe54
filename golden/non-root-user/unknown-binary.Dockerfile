# dopt-test: --unsafe-fixes
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=hashicorp/vault:1.15 /bin/vault /usr/local/bin/vault
ENTRYPOINT ["vault"]
CMD ["server", "-dev"]
