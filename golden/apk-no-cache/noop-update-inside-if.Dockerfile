# dopt-test: --expect none
FROM alpine:3.20
ARG REFRESH
RUN if [ -n "$REFRESH" ]; then apk update; fi && apk add --no-cache curl
