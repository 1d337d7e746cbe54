# dopt-test: --unsafe-fixes --select DOP504
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir gunicorn flask
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import os, http.client; c = http.client.HTTPConnection('127.0.0.1', int(os.environ.get('PORT') or 8000), timeout=5); c.request('GET', '/'); raise SystemExit(c.getresponse().status >= 500)"]
CMD ["gunicorn", "--workers", "2", "app:app"]
