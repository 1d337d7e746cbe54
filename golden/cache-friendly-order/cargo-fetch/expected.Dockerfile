# dopt-test: --unsafe-fixes
FROM rust:1.79
WORKDIR /usr/src/tool
COPY Cargo.toml Cargo.lock ./
RUN cargo fetch --locked
COPY . .
RUN cargo build --release --locked
CMD ["./target/release/tool"]
