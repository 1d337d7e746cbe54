# dopt-test: --expect none
FROM debian:bookworm-slim
ONBUILD RUN echo hi
VOLUME /data
USER 1000
