# dopt-test: --cache-mounts --unsafe-fixes
FROM golang:1.22
RUN go version && go env GOPATH
