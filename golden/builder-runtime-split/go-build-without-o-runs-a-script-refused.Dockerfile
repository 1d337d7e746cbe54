# dopt-test: --unsafe-fixes
# The image runs a script beside the binary, not the binary `go build ./cmd/api` writes (api): not split.
FROM golang:1.22-bookworm
WORKDIR /app
COPY . .
COPY entrypoint.sh /app/entrypoint.sh
RUN CGO_ENABLED=0 go build ./cmd/api
ENTRYPOINT ["/app/entrypoint.sh"]
