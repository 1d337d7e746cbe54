# dopt-test: --expect DOP212:3
FROM debian:bookworm-slim
RUN curl -fsSLO https://example.com/x.tgz && tar -xzf x.tgz && cd x && make install
