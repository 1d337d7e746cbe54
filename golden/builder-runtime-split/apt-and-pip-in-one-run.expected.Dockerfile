# dopt-test: --unsafe-fixes
FROM python:3.9-slim AS builder
WORKDIR /code
COPY requirements.txt /code/
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libmariadb-dev pkg-config \
    && pip install --no-cache-dir -r requirements.txt \
    && rm -rf /var/lib/apt/lists/*

FROM python:3.9-slim
WORKDIR /code
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libmariadb3 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
COPY . /code/
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "site.wsgi"]
