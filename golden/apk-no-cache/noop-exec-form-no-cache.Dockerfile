# dopt-test: --expect none
FROM alpine:3.20
RUN ["/bin/sh", "-c", "apk add --no-cache curl"]
