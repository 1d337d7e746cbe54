# dopt-test: --unsafe-fixes
FROM --platform=linux/amd64 python:3.11-slim AS builder
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libffi-dev && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/requirements.txt
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir -r /tmp/requirements.txt

FROM --platform=linux/amd64 python:3.11-slim AS app
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libffi8 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
COPY src/ /srv/app/
WORKDIR /srv/app
CMD ["python", "-m", "worker"]
