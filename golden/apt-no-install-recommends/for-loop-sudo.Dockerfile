# dopt-test: --unsafe-fixes
FROM ubuntu:22.04
RUN for p in curl git; do sudo apt-get install -y "$p" || exit 1; done
