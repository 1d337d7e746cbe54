FROM debian:bookworm
ADD rootfs.tar.gz /
ADD app.tgz /opt/
