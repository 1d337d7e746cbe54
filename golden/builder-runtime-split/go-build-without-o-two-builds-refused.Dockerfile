# dopt-test: --unsafe-fixes
# Two binaries named by their packages: CMD names one, the other would be lost; not split.
FROM golang:1.22-bookworm
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build ./cmd/server
RUN CGO_ENABLED=0 go build ./cmd/worker
CMD ["./server"]
