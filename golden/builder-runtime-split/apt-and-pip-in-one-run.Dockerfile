# dopt-test: --unsafe-fixes
FROM python:3.9-slim
WORKDIR /code
COPY requirements.txt /code/
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libmariadb-dev pkg-config \
    && pip install --no-cache-dir -r requirements.txt \
    && rm -rf /var/lib/apt/lists/*
COPY . /code/
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "site.wsgi"]
