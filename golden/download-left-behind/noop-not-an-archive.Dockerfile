# dopt-test: --expect none
FROM debian:bookworm-slim
RUN curl -fsSL -o /tmp/install.sh https://example.com/install.sh && sh /tmp/install.sh
