FROM debian:bookworm
RUN npm ci $PKGS
