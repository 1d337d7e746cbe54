FROM debian:bookworm
WORKDIR /tmp
RUN curl -fsSL -o tool.tgz https://example.com/tool-1.2.tgz && tar -xzf tool.tgz -C /opt
RUN rm -f /tmp/tool.tgz
