# dopt-test: --unsafe-fixes
# golang:1.25 is built on trixie: a cgo binary runs on distroless/base of Debian 13.
FROM golang:1.25
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -o /usr/local/bin/api ./cmd/api
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/api"]
