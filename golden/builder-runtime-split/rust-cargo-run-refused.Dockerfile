# dopt-test: --unsafe-fixes
# The image runs cargo itself: there is no artifact to copy.
FROM rust:1.75-bookworm
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["cargo", "run", "--release"]
