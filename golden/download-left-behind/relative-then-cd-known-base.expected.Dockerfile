# debian sets no WORKDIR: the RUN starts in /, so x.tgz is /x.tgz
FROM debian:bookworm-slim
RUN curl -fsSLO https://example.com/x.tgz && tar -xzf x.tgz && cd x && make install && rm -f /x.tgz
