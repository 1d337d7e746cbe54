# dopt-test: --unsafe-fixes --expect none
FROM debian:bookworm
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
CMD exec ./start.sh $ARGS
