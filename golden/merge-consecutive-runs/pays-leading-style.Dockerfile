FROM debian:bookworm-slim
RUN curl -fsSL https://example.com/app.tgz -o /tmp/app.tgz \
    && mkdir -p /opt/app \
    && tar -xzf /tmp/app.tgz -C /opt/app
RUN rm -f /tmp/app.tgz \
    && chmod -R go-w /opt/app
