# dopt-test: --unsafe-fixes
# `cargo install --path .` puts the binary in /usr/local/cargo/bin; CMD names it.
FROM rust:1.77-slim-bookworm AS builder
WORKDIR /build
COPY . .
RUN cargo install --path . --locked

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY . .
COPY --from=builder /usr/local/cargo/bin/mycli /usr/local/bin/mycli
ENTRYPOINT ["mycli"]
CMD ["--help"]
