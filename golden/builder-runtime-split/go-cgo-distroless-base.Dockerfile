# dopt-test: --unsafe-fixes
# cgo stays on (the default): the binary links glibc of bookworm, so distroless/base-debian12.
FROM golang:1.22-bookworm
WORKDIR /app
COPY go.mod go.sum *.go ./
RUN go build -o /app/svc .
EXPOSE 9000
ENTRYPOINT ["/app/svc"]
