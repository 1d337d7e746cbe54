# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN echo "$HOME" || true
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN ps aux | grep -c x || true
CMD ["sh"]