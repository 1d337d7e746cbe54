# dopt-test: --unsafe-fixes
FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir flask
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import http.client; c = http.client.HTTPConnection('127.0.0.1', 9090, timeout=5); c.request('GET', '/'); raise SystemExit(c.getresponse().status >= 500)"]
CMD ["python", "-m", "service.web"]
