# syntax=docker/dockerfile:1
# dopt-test: --cache-mounts --unsafe-fixes
FROM rust:1.79
WORKDIR /usr/src/app
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry cargo build --release --locked \
 && cp target/release/app /usr/local/bin/app
CMD ["app"]