# syntax=docker/dockerfile:1
# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm

RUN apt-get update && \
# the tools we need
# (curl for the health check)
    apt-get install -y curl
CMD ["bash"]
