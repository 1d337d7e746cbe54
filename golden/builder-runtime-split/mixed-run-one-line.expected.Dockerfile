# dopt-test: --unsafe-fixes
FROM python:3.12-slim AS builder
RUN apt-get update && apt-get install -y build-essential curl && curl -sSL https://example.com/setup.sh -o /setup.sh && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir uwsgi flask

FROM python:3.12-slim
RUN apt-get update && apt-get install -y curl && curl -sSL https://example.com/setup.sh -o /setup.sh && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
CMD ["uwsgi", "--http", ":8080", "--module", "app:app"]
