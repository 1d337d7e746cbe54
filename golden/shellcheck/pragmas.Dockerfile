# dopt-test: --expect none
FROM debian:bookworm
# hadolint ignore=SC2086
RUN tar xf $ARCHIVE
# dopt: ignore=SC2164,SC2086
RUN cd /app; tar xf $ARCHIVE
