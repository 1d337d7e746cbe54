# dopt-test: --expect DOP411:5
FROM debian:bookworm AS base
RUN true
FROM base
COPY --chown=1000 conf \
     etc/conf
