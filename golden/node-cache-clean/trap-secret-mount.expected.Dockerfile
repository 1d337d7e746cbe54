FROM debian:bookworm
RUN --mount=type=secret,id=tok npm ci && npm cache clean --force
