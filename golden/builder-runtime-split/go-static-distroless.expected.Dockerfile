# dopt-test: --unsafe-fixes
# A small HTTP API: a static binary runs on distroless/static as the nonroot user.
FROM golang:1.22-bookworm AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY cmd/ cmd/
COPY internal/ internal/
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /usr/local/bin/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /src
COPY --from=builder /usr/local/bin/api /usr/local/bin/api
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/api"]
