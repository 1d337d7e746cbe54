# dopt-test: --unsafe-fixes --expect DOP603:5
FROM python:3.11 AS builder
RUN pip install --no-cache-dir --prefix=/install mysqlclient

FROM python:3.11
COPY --from=builder /install /usr/local
CMD ["python"]
