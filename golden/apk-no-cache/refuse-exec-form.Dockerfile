# dopt-test: --expect DOP204:3
FROM alpine:3.20
RUN ["/bin/sh", "-c", "apk add curl"]
