# dopt-test: --expect DOP403:2
FROM --platform=linux/amd64 node:latest AS web
RUN true
