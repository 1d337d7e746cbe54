# dopt-test: --unsafe-fixes
# Without -o the binary is named after the module: dopt does not guess.
FROM golang:1.22-bookworm
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build ./...
CMD ["./app"]
