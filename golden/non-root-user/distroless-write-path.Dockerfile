# dopt-test: --unsafe-fixes --expect DOP503:7
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12
ENV CACHE_DIR=/var/cache/server
COPY --from=build /out/server /server
ENTRYPOINT ["/server"]
