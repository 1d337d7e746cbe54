FROM debian:bookworm-slim
RUN curl -fsSL https://example.com/tool-1.2.tar.gz -o /tmp/tool.tar.gz \
    && tar -xzf /tmp/tool.tar.gz -C /opt \
    && rm /tmp/tool.tar.gz
