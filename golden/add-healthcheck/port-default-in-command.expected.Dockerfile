# dopt-test: --unsafe-fixes --select DOP504
FROM python:3.12-slim
COPY . /app
WORKDIR /app
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import os, http.client; c = http.client.HTTPConnection('127.0.0.1', int(os.environ.get('PORT') or 8080), timeout=5); c.request('GET', '/'); raise SystemExit(c.getresponse().status >= 500)"]
CMD uvicorn main:app --host 0.0.0.0 --port ${PORT:-8080}
