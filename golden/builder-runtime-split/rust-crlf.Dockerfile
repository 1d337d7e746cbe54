# dopt-test: --unsafe-fixes
FROM rust:1.75-bookworm
WORKDIR /src
COPY Cargo.toml src ./
RUN cargo build --release
ENTRYPOINT ["/src/target/release/tool"]
