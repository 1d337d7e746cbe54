# dopt-test: --unsafe-fixes
FROM python:3.12-slim
RUN apt-get update && apt-get install -y build-essential curl && curl -sSL https://example.com/setup.sh -o /setup.sh && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uwsgi flask
CMD ["uwsgi", "--http", ":8080", "--module", "app:app"]
