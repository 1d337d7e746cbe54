# dopt-test: --unsafe-fixes
FROM ubuntu:24.04 AS build
shell ["/bin/bash", "-o", "pipefail", "-c"]
run echo a | tee /a
run echo b | tee /b
FROM build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN echo c | tee /c
