# dopt-test: --unsafe-fixes
FROM python:3.11 AS builder
RUN pip install --no-cache-dir --prefix=/install httpx

FROM python:3.11
COPY --from=builder /install /usr/local
CMD ["python", "-m", "httpx"]
