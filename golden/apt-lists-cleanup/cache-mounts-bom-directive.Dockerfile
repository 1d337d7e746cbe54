# escape=\
# dopt-test: --cache-mounts
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates
