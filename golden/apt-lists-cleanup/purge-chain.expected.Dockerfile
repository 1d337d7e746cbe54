FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc \
    && pip install --no-cache-dir psycopg2 \
    && apt-get purge -y --auto-remove gcc \
    && rm -rf /var/lib/apt/lists/*
