FROM debian:bookworm
RUN --mount=type=secret,id=tok apk add --no-cache curl
