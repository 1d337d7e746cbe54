# dopt-test: --unsafe-fixes
# golang:1.24 is trixie; dopt's -dev -> runtime table is bookworm's.
FROM golang:1.24
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN go build -o /app/server .
ENTRYPOINT ["/app/server"]
