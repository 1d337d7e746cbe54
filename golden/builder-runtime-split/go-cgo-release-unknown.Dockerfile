# dopt-test: --unsafe-fixes
# cgo is on and the tag does not name the Debian release: the C library could not be matched.
FROM golang:1.22
WORKDIR /app
COPY . .
RUN go build -o /app/server .
ENTRYPOINT ["/app/server"]
