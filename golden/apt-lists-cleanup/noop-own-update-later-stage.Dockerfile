# dopt-test: --unsafe-fixes
FROM debian:bookworm AS base
RUN apt-get update

FROM base
RUN apt-get install -y --no-install-recommends curl
