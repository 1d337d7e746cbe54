# dopt-test: --unsafe-fixes
FROM golang:1.22-bookworm AS builder
WORKDIR /build
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -o /bin/hello .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /build
COPY --from=builder /bin/hello /bin/hello
ENTRYPOINT ["/bin/hello"]
