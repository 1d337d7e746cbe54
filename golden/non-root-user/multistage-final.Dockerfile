# dopt-test: --unsafe-fixes
FROM python:3.11-slim AS base
ENV PYTHONUNBUFFERED=1

FROM base AS final
WORKDIR /app
COPY app/ ./app/
CMD ["python", "-m", "app"]
