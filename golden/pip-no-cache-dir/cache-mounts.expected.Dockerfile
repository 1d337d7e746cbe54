# syntax=docker/dockerfile:1
# dopt-test: --cache-mounts
FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt \
 && python -m pip install gunicorn==22.0.0
