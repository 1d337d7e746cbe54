# dopt-test: --cache-mounts --unsafe-fixes
FROM golang:1.22
ENV GOMODCACHE=/cache/mod
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
