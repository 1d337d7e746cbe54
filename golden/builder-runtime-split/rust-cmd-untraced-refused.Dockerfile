# dopt-test: --unsafe-fixes
# CMD runs a program dopt cannot trace to the build.
FROM rust:1.75-bookworm
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["./run.sh"]
