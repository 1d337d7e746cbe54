# syntax=docker/dockerfile:1.7
# dopt-test: --cache-mounts --unsafe-fixes
FROM rust:1.79-slim
RUN --mount=type=cache,target=/usr/local/cargo/registry --network=default cargo install ripgrep --locked
