# syntax=docker/dockerfile:1.7
# dopt-test: --cache-mounts --unsafe-fixes
FROM rust:1.79-slim
RUN --network=default cargo install ripgrep --locked
