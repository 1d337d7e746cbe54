# dopt-test: --unsafe-fixes
# A tool installed at a version and run by name: $GOPATH/bin/migrate goes on the runtime image's PATH.
FROM golang:1.23 AS builder
RUN CGO_ENABLED=0 go install -tags 'postgres' github.com/golang-migrate/migrate/v4/cmd/migrate@v4.17.1

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=builder /go/bin/migrate /usr/local/bin/migrate
ENTRYPOINT ["migrate"]
CMD ["-help"]
