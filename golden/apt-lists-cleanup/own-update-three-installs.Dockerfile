# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates
RUN apt-get install -y --no-install-recommends \
        curl \
        git
WORKDIR /src
RUN set -eux; \
    apt-get install -y --no-install-recommends make; \
    make --version
