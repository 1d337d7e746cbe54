# dopt-test: --unsafe-fixes
# rust:1.75 does not name its Debian release: the binary's glibc could not be matched.
FROM rust:1.75
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["./target/release/app"]
