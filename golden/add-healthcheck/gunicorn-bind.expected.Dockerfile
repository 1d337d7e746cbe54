# dopt-test: --unsafe-fixes
FROM python:3.11-slim
COPY . /srv
WORKDIR /srv
RUN pip install --no-cache-dir gunicorn flask
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import sys, urllib.request, urllib.error\ntry:\n    urllib.request.urlopen(\"http://127.0.0.1:5005/\", timeout=5)\nexcept urllib.error.HTTPError as e:\n    sys.exit(e.code >= 500)\nexcept Exception:\n    sys.exit(1)"]
CMD gunicorn --workers 2 --bind 0.0.0.0:5005 wsgi:app
