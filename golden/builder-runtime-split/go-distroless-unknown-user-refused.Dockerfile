# dopt-test: --unsafe-fixes
# USER names a user distroless does not have.
FROM golang:1.22-bookworm
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o /app/server .
USER appuser
ENTRYPOINT ["/app/server"]
