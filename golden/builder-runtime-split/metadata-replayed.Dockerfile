# dopt-test: --unsafe-fixes
ARG PYTHON_VERSION=3.11
FROM python:3.11-slim
LABEL org.opencontainers.image.source="https://example.com/repo"
ARG APP_ENV=production
ENV APP_ENV=${APP_ENV} \
    # where the model lives
    MODEL_DIR=/models
run apt-get update && apt-get install -y --no-install-recommends gcc g++ libc6-dev && rm -rf /var/lib/apt/lists/*
run mkdir -p /models
# hadolint ignore=DL3013
run pip install --no-cache-dir --upgrade pip && pip install --no-cache-dir hdbscan
VOLUME /models
COPY service.py /srv/
EXPOSE 9000
HEALTHCHECK CMD python -c "print('ok')"
CMD ["python", "/srv/service.py"]
