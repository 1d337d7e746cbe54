# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get install -y --no-install-recommends curl
