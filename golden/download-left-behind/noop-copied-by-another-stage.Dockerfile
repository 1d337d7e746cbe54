# dopt-test: --expect DOP212:3
FROM debian:bookworm-slim AS fetch
RUN curl -fsSL -o /dl/x.tgz https://example.com/x.tgz && tar -xzf /dl/x.tgz -C /opt
FROM debian:bookworm-slim
COPY --from=fetch /dl /dl
