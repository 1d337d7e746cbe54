# dopt-test: --unsafe-fixes
# The service reads config/ at run time: that COPY is replayed from the context, the sources are not.
FROM rust:1.76-bookworm AS builder
WORKDIR /app
COPY Cargo.toml Cargo.lock ./
COPY src src
RUN cargo build --release

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=builder /app/target/release/svc /app/target/release/svc
COPY config ./config
RUN useradd --system svc
USER svc
CMD ["/app/target/release/svc", "--config", "/app/config/prod.toml"]
