# dopt-test: --unsafe-fixes
FROM golang:1.22-bookworm
WORKDIR /build
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -o /bin/hello .
ENTRYPOINT ["/bin/hello"]
