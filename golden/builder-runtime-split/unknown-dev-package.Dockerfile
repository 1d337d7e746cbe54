# dopt-test: --unsafe-fixes --expect DOP502:2
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libfrobnicate-dev && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir frobnicate
CMD ["frobnicate"]
