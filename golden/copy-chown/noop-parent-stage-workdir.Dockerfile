# dopt-test: --unsafe-fixes --select DOP303 --expect DOP303:7
FROM python:3.12-slim AS base
WORKDIR /app

FROM base
COPY . /app
RUN chown -R nobody /app
