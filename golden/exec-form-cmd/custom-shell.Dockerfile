# dopt-test: --unsafe-fixes
FROM debian:bookworm
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
CMD exec ./start.sh $ARGS
