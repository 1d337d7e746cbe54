# dopt-test: --expect none
FROM debian:bookworm-slim
RUN set -eux; \
    wget -O /usr/src/tool.tar.gz https://example.com/tool.tar.gz; \
    cd /usr/src; \
    tar -xzf tool.tar.gz; \
    rm tool.tar.gz; \
    cd tool && ./configure && make install
