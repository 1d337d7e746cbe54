# dopt-test: --expect DOP411:3
FROM golang:1.22
COPY ["go.mod", "go.sum", "./"]
