# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update
WORKDIR /src
RUN test -f /etc/skip || apt-get install -y --no-install-recommends curl
