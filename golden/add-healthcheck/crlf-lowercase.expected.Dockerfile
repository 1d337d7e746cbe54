# dopt-test: --unsafe-fixes
from python:3.12-slim
copy . /app
run pip install --no-cache-dir gunicorn
healthcheck --interval=30s --timeout=5s --start-period=30s --retries=3 cmd ["python3", "-c", "import http.client; c = http.client.HTTPConnection('127.0.0.1', 8001, timeout=5); c.request('GET', '/'); raise SystemExit(c.getresponse().status >= 500)"]
cmd ["gunicorn", "-b", ":8001", "app:app"]
