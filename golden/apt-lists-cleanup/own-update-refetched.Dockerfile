# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
RUN apt-get update && apt-get install -y --no-install-recommends git
RUN apt-get install -y --no-install-recommends make
