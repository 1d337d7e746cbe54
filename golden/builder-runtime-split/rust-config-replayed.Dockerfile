# dopt-test: --unsafe-fixes
# The service reads config/ at run time: that COPY is replayed from the context, the sources are not.
FROM rust:1.76-bookworm
WORKDIR /app
COPY Cargo.toml Cargo.lock ./
COPY src src
RUN cargo build --release
COPY config ./config
RUN useradd --system svc
USER svc
CMD ["/app/target/release/svc", "--config", "/app/config/prod.toml"]
