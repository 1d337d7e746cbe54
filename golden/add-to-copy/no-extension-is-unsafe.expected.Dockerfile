# dopt-test: --unsafe-fixes
FROM debian:bookworm
COPY rootfs-config /etc/app/
