# dopt-test: --unsafe-fixes
FROM debian:bookworm
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
CMD ["/bin/bash", "-o", "pipefail", "-c", "exec ./start.sh $ARGS"]
