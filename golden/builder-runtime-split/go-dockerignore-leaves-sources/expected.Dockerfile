# dopt-test: --unsafe-fixes
# NOTES.txt is not a Go source, but .dockerignore keeps it from the builder: the binary alone is copied.
FROM golang:1.22-bookworm AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/hello .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=builder /bin/hello /bin/hello
ENTRYPOINT ["/bin/hello"]
