# dopt-test: --unsafe-fixes --expect none
FROM python:3.12-slim AS base
HEALTHCHECK NONE
FROM base
CMD ["uvicorn", "main:app"]
