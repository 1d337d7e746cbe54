# dopt-test: --expect none
# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN --mount=type=tmpfs,target=/tmp curl -fsSL -o /tmp/x.tgz https://example.com/x.tgz && tar -xzf /tmp/x.tgz -C /opt
