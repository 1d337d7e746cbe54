# dopt-test: --unsafe-fixes
FROM ubuntu:24.04
RUN apt-get update \
    # upgrade everything
    && sudo apt full-upgrade -y