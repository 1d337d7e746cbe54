# dopt-test: --unsafe-fixes
FROM python:3.11-slim AS builder
RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv
WORKDIR /app
RUN uv venv /app/.venv
COPY requirements.txt .
RUN uv pip install -r requirements.txt

FROM python:3.11-slim
COPY --from=builder /app/.venv /app/.venv
WORKDIR /app
ENV PATH="/app/.venv/bin:$PATH"
COPY . .
CMD ["python", "main.py"]
