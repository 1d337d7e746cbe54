FROM alpine:3.19
RUN set -ex; apk update; apk add --update tzdata; rm -rf /var/cache/apk/*
