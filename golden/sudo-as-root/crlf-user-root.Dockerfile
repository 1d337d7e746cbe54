# dopt-test: --unsafe-fixes
FROM ubuntu:24.04
USER app
USER root:root
RUN apt-get update \
    # as root
    && sudo  chmod 0755 /x