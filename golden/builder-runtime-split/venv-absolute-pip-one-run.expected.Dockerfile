# dopt-test: --unsafe-fixes
FROM python:3.10-slim AS builder
RUN apt-get update && apt-get install -y --no-install-recommends g++ make && rm -rf /var/lib/apt/lists/*
WORKDIR /code
COPY requirements.txt .
RUN python -m venv --upgrade-deps /venv && /venv/bin/pip install --no-cache-dir -r requirements.txt

FROM python:3.10-slim
WORKDIR /code
COPY --from=builder /venv /venv
COPY . .
ENV PATH=/venv/bin:$PATH
CMD ["python", "-m", "app"]
