# dopt-test: --unsafe-fixes
# `go build -C dir` changes folder first: dopt does not guess where the binary goes.
FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -C ./cmd/server
CMD ["/src/cmd/server/server"]
