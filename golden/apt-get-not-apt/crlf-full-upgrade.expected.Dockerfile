# dopt-test: --unsafe-fixes
FROM ubuntu:24.04
RUN apt-get update \
    # upgrade everything
    && sudo apt-get dist-upgrade -y