# dopt-test: --unsafe-fixes
FROM --platform=linux/amd64 python:3.11-slim AS app
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libffi-dev && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
COPY src/ /srv/app/
WORKDIR /srv/app
CMD ["python", "-m", "worker"]
