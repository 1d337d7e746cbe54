# dopt-test: --unsafe-fixes
FROM python:3.12-slim AS base
ENV XDG_CACHE_HOME=/var/cache/app
WORKDIR /app
COPY . .
CMD ["python", "-m", "app"]

# the final stage inherits ENV, WORKDIR and CMD from `base`
FROM base AS final
RUN pip install --no-cache-dir .
