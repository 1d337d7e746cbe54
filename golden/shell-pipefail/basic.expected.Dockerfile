# dopt-test: --unsafe-fixes
FROM debian:bookworm
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/t.tgz | tar -xz
