FROM alpine:3.19
RUN set -ex; apk add --no-cache --update tzdata; rm -rf /var/cache/apk/*
