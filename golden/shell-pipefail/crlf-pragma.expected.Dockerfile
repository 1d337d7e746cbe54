# dopt-test: --unsafe-fixes
FROM python:3.12-slim
WORKDIR /app
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN apt-get update \
    # keys
    && curl -fsSL https://k | gpg --dearmor -o /k.gpg