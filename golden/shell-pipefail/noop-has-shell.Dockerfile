# dopt-test: --unsafe-fixes --expect none
FROM debian:bookworm
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://x | tar -xz
