FROM debian:bookworm
RUN npm ci || true
