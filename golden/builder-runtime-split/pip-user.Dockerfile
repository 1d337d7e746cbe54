# dopt-test: --unsafe-fixes --expect DOP502:2
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*
RUN pip install --user --no-cache-dir psutil
CMD ["python", "-c", "import psutil"]
