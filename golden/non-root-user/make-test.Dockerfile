# dopt-test: --unsafe-fixes
FROM golang:1.22
WORKDIR /src
COPY . .
CMD make test
