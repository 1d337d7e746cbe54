# syntax=docker/dockerfile:1
# dopt-test: --cache-mounts --unsafe-fixes
FROM golang:1.22
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go install golang.org/x/tools/cmd/stringer@v0.22.0
