# dopt-test: --unsafe-fixes
FROM python:3.12-slim AS builder
ENV FLASK_RUN_PORT 8000
EXPOSE 8000
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt

# port and EXPOSE come from `builder`, not flask's default 5000
FROM builder AS web
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import http.client; c = http.client.HTTPConnection('127.0.0.1', 8000, timeout=5); c.request('GET', '/'); raise SystemExit(c.getresponse().status >= 500)"]
CMD ["flask", "run", "--host", "0.0.0.0"]
