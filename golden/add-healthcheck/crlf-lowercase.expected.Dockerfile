# dopt-test: --unsafe-fixes
from python:3.12-slim
copy . /app
run pip install --no-cache-dir gunicorn
healthcheck --interval=30s --timeout=5s --start-period=30s --retries=3 cmd ["python3", "-c", "import sys, urllib.request, urllib.error\ntry:\n    urllib.request.urlopen(\"http://127.0.0.1:8001/\", timeout=5)\nexcept urllib.error.HTTPError as e:\n    sys.exit(e.code >= 500)\nexcept Exception:\n    sys.exit(1)"]
cmd ["gunicorn", "-b", ":8001", "app:app"]
