# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update
WORKDIR /src
RUN apt-get install -y --no-install-recommends curl
RUN apt-get update && apt-get install -y --no-install-recommends git
RUN apt-get install -y --no-install-recommends make
