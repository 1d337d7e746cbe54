# dopt-test: --unsafe-fixes
# golang:1.25 is built on trixie: a cgo binary runs on distroless/base of Debian 13.
FROM golang:1.25 AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -o /usr/local/bin/api ./cmd/api

FROM gcr.io/distroless/base-debian13:nonroot
WORKDIR /src
COPY --from=builder /src /src
COPY --from=builder /usr/local/bin/api /usr/local/bin/api
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/api"]
