# dopt-test: --expect DOP213:3
FROM alpine:3.20
RUN wget https://example.com/a
