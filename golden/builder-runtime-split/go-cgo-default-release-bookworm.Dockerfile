# dopt-test: --unsafe-fixes
# cgo is on and the tag names no Debian release: golang:1.22 is built on bookworm (dopt's data).
FROM golang:1.22
WORKDIR /app
COPY . .
RUN go build -o /app/server .
ENTRYPOINT ["/app/server"]
