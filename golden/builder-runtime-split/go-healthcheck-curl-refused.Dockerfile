# dopt-test: --unsafe-fixes
# The health check runs curl, which neither runtime image has.
FROM golang:1.22-bookworm
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o /app/server .
HEALTHCHECK CMD curl -f http://localhost:8080/healthz || exit 1
ENTRYPOINT ["/app/server"]
