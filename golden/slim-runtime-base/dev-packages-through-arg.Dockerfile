# dopt-test: --unsafe-fixes
FROM python:3.11
ARG BUILD_DEPS="build-essential libpq-dev"
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends $BUILD_DEPS && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir flask==3.0.3 gunicorn
CMD ["gunicorn", "-b", ":8000", "app:app"]
