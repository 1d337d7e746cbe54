# dopt-test: --unsafe-fixes --expect none
ARG BUNDLE=rootfs.tgz
FROM debian:bookworm-slim
ARG BUNDLE
ADD $BUNDLE /
