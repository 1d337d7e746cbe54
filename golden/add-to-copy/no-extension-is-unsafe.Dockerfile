# dopt-test: --unsafe-fixes
FROM debian:bookworm
ADD rootfs-config /etc/app/
