# dopt-test: --cache-mounts --unsafe-fixes
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -trimpath -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
