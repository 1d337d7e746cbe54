FROM debian:bookworm
RUN npm ci || true && npm cache clean --force
