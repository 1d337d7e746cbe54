# dopt-test: --expect none
FROM alpine:3.20
RUN apk update && apk upgrade --no-cache && apk add --no-cache curl
