# dopt-test: --unsafe-fixes
# Triton compiles its launcher with the system C compiler when the first kernel runs: gcc stays.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir torch triton
COPY infer.py .
CMD ["python", "infer.py"]
