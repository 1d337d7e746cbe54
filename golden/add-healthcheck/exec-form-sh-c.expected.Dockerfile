# dopt-test: --unsafe-fixes
FROM python:3.12-slim
ENV PORT=8080
COPY . /app
WORKDIR /app
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import http.client; c = http.client.HTTPConnection('127.0.0.1', 8080, timeout=5); c.request('GET', '/'); raise SystemExit(c.getresponse().status >= 500)"]
CMD ["/bin/sh", "-c", "exec gunicorn --bind :$PORT app:app"]
