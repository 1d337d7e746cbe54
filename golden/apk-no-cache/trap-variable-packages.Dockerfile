FROM debian:bookworm
RUN apk add curl $PKGS
