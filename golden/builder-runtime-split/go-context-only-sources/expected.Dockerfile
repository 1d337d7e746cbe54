# dopt-test: --unsafe-fixes
# The context holds only Go sources: the runtime stage gets the binary alone.
FROM golang:1.22-bookworm AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=builder /out/api /out/api
EXPOSE 8080
ENTRYPOINT ["/out/api"]
