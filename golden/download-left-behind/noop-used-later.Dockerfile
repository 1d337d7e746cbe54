# dopt-test: --expect DOP212:3
FROM debian:bookworm-slim
RUN curl -fsSL -o /tmp/x.tgz https://example.com/x.tgz && tar -xzf /tmp/x.tgz -C /opt
RUN sha256sum /tmp/x.tgz > /opt/x.sha256
