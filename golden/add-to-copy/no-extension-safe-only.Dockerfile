FROM debian:bookworm
ADD rootfs-config /etc/app/
