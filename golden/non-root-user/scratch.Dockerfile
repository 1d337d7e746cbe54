# dopt-test: --unsafe-fixes --expect none
FROM scratch
COPY server /server
ENTRYPOINT ["/server"]
