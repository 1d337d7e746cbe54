# dopt-test: --unsafe-fixes
# Nothing installed with apt: psycopg2 and mysqlclient compile with the full image's own gcc and -dev
# packages; the runtime stage on -slim gets the libraries they load.
FROM python:3.12-bookworm AS builder
WORKDIR /srv
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir psycopg2 mysqlclient flask

FROM python:3.12-slim-bookworm
WORKDIR /srv
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpq5 \
      libmariadb3 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
COPY app.py .
CMD ["python", "app.py"]
