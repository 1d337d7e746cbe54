# dopt-test: --unsafe-fixes
# `go install ./cmd/tool` writes /go/bin/tool, which CMD runs by its path.
FROM golang:1.22-bookworm
WORKDIR /app
COPY . .
RUN go install ./cmd/tool
CMD ["/go/bin/tool", "serve"]
