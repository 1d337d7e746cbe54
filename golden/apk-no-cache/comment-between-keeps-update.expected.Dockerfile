FROM alpine:3.19
RUN apk update && \
    # the client
    apk add --no-cache curl
