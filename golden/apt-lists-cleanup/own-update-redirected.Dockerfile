# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update -qq
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get install -y -qq --no-install-recommends curl > /dev/null \
    && curl --version
