# dopt-test: --unsafe-fixes
# cgo with SQLite: the runtime needs libsqlite3-0 from apt, so debian:bookworm-slim.
FROM golang:1.22-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY *.go ./
RUN go build -o /app/notes .
EXPOSE 8080
ENTRYPOINT ["/app/notes"]
