FROM debian:bookworm-slim
ARG V=1.2.3
RUN curl -fsSL -o "/tmp/tool-${V}.tgz" "https://example.com/tool-${V}.tgz" && tar -xzf "/tmp/tool-${V}.tgz" -C /opt && rm -f "/tmp/tool-${V}.tgz"
