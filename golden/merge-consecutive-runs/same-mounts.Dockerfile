# dopt-test: --option merge-consecutive-runs.merge=always
FROM python:3.11-slim
RUN --mount=type=cache,target=/root/.cache/pip pip install flask
RUN --mount=type=cache,target=/root/.cache/pip pip install gunicorn
