# dopt-test: --unsafe-fixes
# CGO_ENABLED=0 from ENV; the service binds port 80, so the runtime keeps root (distroless without :nonroot).
FROM golang:1.21 AS builder
ENV CGO_ENABLED=0 GOOS=linux
WORKDIR /app
COPY go.mod main.go ./
RUN go build -o /app/web .

FROM gcr.io/distroless/static-debian12
ENV CGO_ENABLED=0 GOOS=linux
WORKDIR /app
COPY --from=builder /app/web /app/web
EXPOSE 80
CMD ["/app/web"]
