FROM alpine:3.19
ARG PKGS=bash
RUN apk add --no-cache $PKGS "jq"
