FROM debian:bookworm AS base
RUN curl -fsSL -o /tmp/tool.tgz https://example.com/tool-1.2.tgz && tar -xzf /tmp/tool.tgz -C /opt

FROM base AS slim
RUN rm -f /tmp/tool.tgz

FROM base
RUN sha256sum /tmp/tool.tgz
