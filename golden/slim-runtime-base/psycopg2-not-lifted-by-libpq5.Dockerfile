# dopt-test: --unsafe-fixes
# psycopg2 compiles on install: libpq5 alone does not make -slim enough (a split does).
FROM python:3.11
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir psycopg2
CMD ["python", "app.py"]
