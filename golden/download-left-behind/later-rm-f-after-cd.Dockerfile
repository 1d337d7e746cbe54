FROM debian:bookworm
WORKDIR /src
RUN cd /tmp \
    && curl -fsSL -o tool.tgz https://example.com/tool-1.2.tgz \
    && tar -xzf tool.tgz -C /opt
# the archive is not needed any more
RUN cd /tmp && rm -rf tool.tgz
