# dopt-test: --unsafe-fixes
FROM rust:1.75-bookworm AS builder
WORKDIR /src
COPY Cargo.toml src ./
RUN cargo build --release

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY --from=builder /src/target/release/tool /src/target/release/tool
ENTRYPOINT ["/src/target/release/tool"]
