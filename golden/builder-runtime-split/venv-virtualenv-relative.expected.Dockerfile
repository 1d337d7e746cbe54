# dopt-test: --unsafe-fixes
# virtualenv makes ./venv in /srv (a relative folder named venv); pip is the venv's by its path.
FROM python:3.11-slim AS builder
RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir virtualenv
WORKDIR /srv
RUN virtualenv venv
COPY requirements.txt .
RUN venv/bin/pip install --no-cache-dir -r requirements.txt

FROM python:3.11-slim
COPY --from=builder /srv/venv /srv/venv
WORKDIR /srv
COPY . .
CMD ["venv/bin/python", "main.py"]
