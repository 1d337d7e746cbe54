# dopt-test: --unsafe-fixes
# psycopg (3) loads libpq at run time (ctypes); gcc builds cffi; the stage's own postgresql-client brings it, and stays.
FROM python:3.11
RUN apt-get update && apt-get install -y --no-install-recommends gcc postgresql-client \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir psycopg cffi fastapi uvicorn
COPY app /app
WORKDIR /app
CMD ["uvicorn", "main:app", "--host", "0.0.0.0"]
