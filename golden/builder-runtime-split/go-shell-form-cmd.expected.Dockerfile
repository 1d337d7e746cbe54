# dopt-test: --unsafe-fixes
# A shell-form CMD needs /bin/sh: debian:bookworm-slim rather than distroless.
FROM golang:1.23-bookworm AS builder
WORKDIR /go/src/app
COPY go.mod ./
COPY main.go ./
RUN CGO_ENABLED=0 go build -o app

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates \
      tzdata \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /go/src/app
COPY --from=builder /go/src/app/app /go/src/app/app
CMD ./app -port $PORT
