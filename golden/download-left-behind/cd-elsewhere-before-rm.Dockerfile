FROM debian:bookworm-slim
# `rm x.tgz` runs in /, so /tmp/x.tgz stays
RUN curl -fsSL -o /tmp/x.tgz https://example.com/x.tgz && cd /tmp && tar -xzf x.tgz && cd / && rm -f x.tgz
