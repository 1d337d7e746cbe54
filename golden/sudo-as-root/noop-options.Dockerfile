# dopt-test: --unsafe-fixes --expect DOP306:3
FROM alpine:3.20
RUN apk add --no-cache sudo \
 && sudo -- true; sudo ls /
