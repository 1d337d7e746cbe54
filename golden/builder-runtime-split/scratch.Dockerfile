# dopt-test: --unsafe-fixes --expect none
FROM scratch
COPY app /app
CMD ["/app"]
