FROM debian:bookworm-slim
RUN cd /opt && \
    curl -fsSLO https://example.com/tool-1.2.tgz && \
    tar -xzf tool-1.2.tgz && \
    cd tool-1.2 && make install
