# dopt-test: --expect DOP404:3
FROM debian:bookworm
RUN set -e; curl -sL https://deb.nodesource.com/setup_20.x | bash -
