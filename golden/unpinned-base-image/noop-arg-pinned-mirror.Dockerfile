# dopt-test: --expect none
ARG BASE=mirror.gcr.io/library/ubuntu:24.04
FROM ${BASE}
CMD ["bash"]
