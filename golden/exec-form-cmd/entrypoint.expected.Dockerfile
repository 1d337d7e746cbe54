# dopt-test: --unsafe-fixes
FROM golang:1.22
ENTRYPOINT ["/usr/local/bin/server", "-v"]
