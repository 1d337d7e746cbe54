# dopt-test: --unsafe-fixes --expect DOP503:2
FROM mycompany/base:1.4
COPY app /app
CMD ["/app/run"]
