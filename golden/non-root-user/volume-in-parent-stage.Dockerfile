# dopt-test: --unsafe-fixes --expect DOP503:4
FROM python:3.12-slim AS base
VOLUME /data
FROM base
COPY . /app
CMD ["python", "/app/main.py"]
