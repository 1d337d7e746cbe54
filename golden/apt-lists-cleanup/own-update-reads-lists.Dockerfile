# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update
WORKDIR /src
RUN apt-cache policy curl && apt-get install -y --no-install-recommends curl && apt-cache show curl
