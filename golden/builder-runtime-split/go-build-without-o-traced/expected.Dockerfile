# dopt-test: --unsafe-fixes
# `go build` without -o names the binary after the module (go.mod): CMD runs that file, so it is copied.
FROM golang:1.22-bookworm AS builder
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY *.go ./
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags "-s -w" -tags netgo

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=builder /app/hello-server /app/hello-server
EXPOSE 8080
CMD ["/app/hello-server"]
