# dopt-test: --unsafe-fixes
FROM python:3.12-slim
RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
COPY . /app
WORKDIR /app
RUN pip install --no-cache-dir .
CMD ["myapp"]
