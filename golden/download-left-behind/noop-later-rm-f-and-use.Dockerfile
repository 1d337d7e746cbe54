FROM debian:bookworm
RUN curl -fsSL -o /tmp/tool.tgz https://example.com/tool-1.2.tgz && tar -xzf /tmp/tool.tgz -C /opt
RUN rm -f /tmp/tool.tgz.sig /tmp/tool.tgz && tar -tzf /tmp/tool.tgz.sig
