# dopt-test: --unsafe-fixes
FROM ubuntu:22.04
RUN apt-get update \
    # compilers
    && apt-get install --no-install-recommends -y build-essential \
    && apt-get install --no-install-recommends -y \
        git ca-certificates
