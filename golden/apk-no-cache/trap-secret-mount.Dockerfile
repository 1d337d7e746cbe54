FROM debian:bookworm
RUN --mount=type=secret,id=tok apk add curl
