# dopt-test: --expect none
FROM debian:bookworm-slim
RUN curl -fsSL https://example.com/x.tgz | tar -xz -C /opt
