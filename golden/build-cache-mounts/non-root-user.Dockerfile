# dopt-test: --cache-mounts --unsafe-fixes
FROM rust:1.79
RUN useradd -m builder
USER builder
WORKDIR /home/builder/app
COPY . .
RUN cargo build --release
