# dopt-test: --unsafe-fixes
# A shell-form CMD needs /bin/sh: debian:bookworm-slim rather than distroless.
FROM golang:1.23-bookworm
WORKDIR /go/src/app
COPY go.mod ./
COPY main.go ./
RUN CGO_ENABLED=0 go build -o app
CMD ./app -port $PORT
