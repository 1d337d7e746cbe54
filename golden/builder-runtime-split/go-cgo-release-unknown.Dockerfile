# dopt-test: --unsafe-fixes
# cgo is on and the tag is a patch release of a line whose default Debian release changed (bookworm, then
# trixie from August 2025): the C library could not be matched.
FROM golang:1.24.5
WORKDIR /app
COPY . .
RUN go build -o /app/server .
ENTRYPOINT ["/app/server"]
