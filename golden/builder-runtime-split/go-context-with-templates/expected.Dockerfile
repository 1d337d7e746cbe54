# dopt-test: --unsafe-fixes
# The binary reads templates/ at run time: the app's folder comes along.
FROM golang:1.22-bookworm AS builder
WORKDIR /site
COPY . .
RUN CGO_ENABLED=0 go build -o site .

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /site
COPY --from=builder /site /site
EXPOSE 8080
CMD ["/site/site"]
