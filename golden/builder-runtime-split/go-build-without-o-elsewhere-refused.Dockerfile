# dopt-test: --unsafe-fixes
# CMD runs a file in another folder than the one `go build` wrote in: not split.
FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build ./cmd/server
CMD ["/usr/local/bin/server"]
