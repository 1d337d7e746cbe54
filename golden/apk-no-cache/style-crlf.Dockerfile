FROM alpine:3.20
# the file's other RUNs chain their lines the other way
RUN mkdir -p /srv/a \
    && mkdir -p /srv/b \
    && mkdir -p /srv/c \
    && mkdir -p /srv/d
RUN apk update && \
  apk add curl && \
  curl --version
