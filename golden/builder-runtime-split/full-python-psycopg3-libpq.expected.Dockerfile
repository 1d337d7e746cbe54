# dopt-test: --unsafe-fixes
# psycopg (3) loads libpq at run time (ctypes); gcc builds cffi; the stage's own postgresql-client brings it, and stays.
FROM python:3.11 AS builder
RUN apt-get update && apt-get install -y --no-install-recommends gcc postgresql-client \
 && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir psycopg cffi fastapi uvicorn

FROM python:3.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      postgresql-client \
 && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
COPY app /app
WORKDIR /app
CMD ["uvicorn", "main:app", "--host", "0.0.0.0"]
