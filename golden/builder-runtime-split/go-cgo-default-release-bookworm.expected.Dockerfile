# dopt-test: --unsafe-fixes
# cgo is on and the tag names no Debian release: golang:1.22 is built on bookworm (dopt's data).
FROM golang:1.22 AS builder
WORKDIR /app
COPY . .
RUN go build -o /app/server .

FROM gcr.io/distroless/base-debian12:nonroot
WORKDIR /app
COPY --from=builder /app /app
ENTRYPOINT ["/app/server"]
