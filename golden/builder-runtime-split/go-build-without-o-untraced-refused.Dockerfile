# dopt-test: --unsafe-fixes
# `go build` without -o, and the image runs a name looked up on PATH: dopt does not guess the binary's name.
FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build ./cmd/server
CMD ["server", "--listen", ":8080"]
