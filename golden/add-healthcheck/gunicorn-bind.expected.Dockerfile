# dopt-test: --unsafe-fixes
FROM python:3.11-slim
COPY . /srv
WORKDIR /srv
RUN pip install --no-cache-dir gunicorn flask
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import http.client; c = http.client.HTTPConnection('127.0.0.1', 5005, timeout=5); c.request('GET', '/'); raise SystemExit(c.getresponse().status >= 500)"]
CMD gunicorn --workers 2 --bind 0.0.0.0:5005 wsgi:app
