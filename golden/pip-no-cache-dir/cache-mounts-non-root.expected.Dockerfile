# dopt-test: --cache-mounts
FROM python:3.11-slim
USER 1000
RUN pip install --no-cache-dir --user flask==3.0.3
