FROM debian:bookworm-slim
RUN cd /tmp && curl -fsSL -o /tmp/tool.tar.gz https://example.com/tool.tar.gz && tar -xzf tool.tar.gz -C /opt
RUN rm /tmp/tool.tar.gz
