# dopt-test: --unsafe-fixes
FROM alpine:3.20
RUN apk add --no-cache sudo \
 && sudo ls /
