# dopt-test: --cache-mounts
FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt \
 && python -m pip install gunicorn==22.0.0
