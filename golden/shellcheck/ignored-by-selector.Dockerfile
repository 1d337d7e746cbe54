# dopt-test: --expect none --ignore SC2086
FROM debian:bookworm
RUN tar xf $ARCHIVE
