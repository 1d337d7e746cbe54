# dopt-test: --unsafe-fixes --expect none
FROM debian:bookworm
RUN set -euo pipefail; curl -fsSL https://x | tar -xz
RUN a || b && c
