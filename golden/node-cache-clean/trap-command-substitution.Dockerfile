FROM debian:bookworm
RUN test -n "$(uname -m)" && npm ci
