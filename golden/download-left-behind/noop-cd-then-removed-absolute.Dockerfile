# dopt-test: --expect none
FROM debian:bookworm-slim
# the RUN moved to /tmp: x.tgz is /tmp/x.tgz, which it removes
RUN cd /tmp \
    && curl -fsSLO https://example.com/x.tgz \
    && tar -xzf x.tgz -C /opt \
    && rm /tmp/x.tgz
