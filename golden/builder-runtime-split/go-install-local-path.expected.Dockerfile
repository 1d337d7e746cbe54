# dopt-test: --unsafe-fixes
# `go install ./cmd/tool` writes /go/bin/tool, which CMD runs by its path.
FROM golang:1.22-bookworm AS builder
WORKDIR /app
COPY . .
RUN go install ./cmd/tool

FROM gcr.io/distroless/base-debian12:nonroot
WORKDIR /app
COPY --from=builder /app /app
COPY --from=builder /go/bin/tool /go/bin/tool
CMD ["/go/bin/tool", "serve"]
