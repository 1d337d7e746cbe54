FROM alpine:3.19
RUN apk del curl
