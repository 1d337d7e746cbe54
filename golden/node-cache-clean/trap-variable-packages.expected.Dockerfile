FROM debian:bookworm
RUN npm ci $PKGS && npm cache clean --force
