# dopt-test: --unsafe-fixes
FROM rust:1.75-bookworm
WORKDIR /app
COPY . .
RUN cargo build --release && strip target/release/app
CMD ["./target/release/app"]
