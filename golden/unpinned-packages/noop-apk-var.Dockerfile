# dopt-test: --expect none
FROM alpine:3.20
RUN apk add --no-cache curl~8 "bash=5.2.26-r0" $EXTRA
