FROM debian:bookworm
RUN apk add --no-cache curl || true
