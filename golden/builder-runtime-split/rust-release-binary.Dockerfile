# dopt-test: --unsafe-fixes
# An axum service: the release binary runs on the slim image of the builder's Debian release.
FROM rust:1.75-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends pkg-config libssl-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --release --locked
EXPOSE 8000
CMD ["./target/release/server"]
