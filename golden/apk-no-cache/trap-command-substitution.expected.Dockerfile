FROM debian:bookworm
RUN test -n "$(uname -m)" && apk add --no-cache curl
