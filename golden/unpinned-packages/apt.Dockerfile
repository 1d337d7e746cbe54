# dopt-test: --expect DOP410:3
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 git \
    # tools
    jq
