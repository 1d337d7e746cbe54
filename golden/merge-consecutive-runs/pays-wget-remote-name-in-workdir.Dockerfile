FROM debian:bookworm
WORKDIR /tmp
RUN wget -q https://example.com/tool-1.2.tgz && tar -xzf tool-1.2.tgz -C /opt
RUN rm -f /tmp/tool-1.2.tgz
