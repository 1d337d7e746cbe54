# dopt-test: --cache-mounts --unsafe-fixes
# syntax=docker/dockerfile:1
FROM golang:1.22
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build -o /usr/local/bin/app .
