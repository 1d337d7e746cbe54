# dopt-test: --expect DOP307:3
FROM golang:1.22
WORKDIR src
