FROM debian:bookworm-slim
RUN curl -fsSL https://example.com/app.tgz -o /tmp/app.tgz && \
    tar -xzf /tmp/app.tgz -C /opt
RUN rm -f /tmp/app.tgz \
    && chmod -R go-w /opt
