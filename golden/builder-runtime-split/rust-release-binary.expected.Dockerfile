# dopt-test: --unsafe-fixes
# An axum service: the release binary runs on the slim image of the builder's Debian release.
FROM rust:1.75-bookworm AS builder
RUN apt-get update && apt-get install -y --no-install-recommends pkg-config libssl-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libssl3 \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
COPY --from=builder /usr/src/app/target/release/server /usr/src/app/target/release/server
EXPOSE 8000
CMD ["./target/release/server"]
