# dopt-test: --unsafe-fixes --select DOP304,DOP504
FROM python:3.12-slim
ENV PORT=8000
COPY . /app
WORKDIR /app
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import http.client; c = http.client.HTTPConnection('127.0.0.1', 8000, timeout=5); c.request('GET', '/'); raise SystemExit(c.getresponse().status >= 500)"]
CMD gunicorn -b :$PORT app:app
