# dopt-test: --unsafe-fixes
# cgo with SQLite: the runtime needs libsqlite3-0 from apt, so debian:bookworm-slim.
FROM golang:1.22-bookworm AS builder
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY *.go ./
RUN go build -o /app/notes .

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libsqlite3-0 \
      ca-certificates \
      tzdata \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=builder /app/notes /app/notes
EXPOSE 8080
ENTRYPOINT ["/app/notes"]
