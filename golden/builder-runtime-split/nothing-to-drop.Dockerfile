# dopt-test: --unsafe-fixes --expect none
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir requests
CMD ["python", "-c", "import requests"]
