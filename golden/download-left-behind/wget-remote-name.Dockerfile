FROM debian:bookworm-slim
WORKDIR /opt
RUN wget https://example.com/releases/tool-1.4.2.tar.gz && \
    tar xzf tool-1.4.2.tar.gz
