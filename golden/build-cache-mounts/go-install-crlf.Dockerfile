# dopt-test: --cache-mounts --unsafe-fixes
FROM golang:1.22
RUN go install golang.org/x/tools/cmd/stringer@v0.22.0
