# dopt-test: --unsafe-fixes
# `cargo install --path .` puts the binary in /usr/local/cargo/bin; CMD names it.
FROM rust:1.77-slim-bookworm
WORKDIR /build
COPY . .
RUN cargo install --path . --locked
ENTRYPOINT ["mycli"]
CMD ["--help"]
