FROM debian:bookworm
ARG PKGS="curl git"
RUN apt-get update && apt-get install -y --no-install-recommends $PKGS "linux-headers-$(uname -r)"
