# dopt-test: --unsafe-fixes
# The build and other work share a RUN: the runtime stage could not replay the other half alone.
FROM golang:1.22-bookworm
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o /app/server . && setcap cap_net_bind_service=+ep /app/server
ENTRYPOINT ["/app/server"]
