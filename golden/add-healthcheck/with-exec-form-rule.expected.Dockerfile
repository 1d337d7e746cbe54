# dopt-test: --unsafe-fixes --select DOP304,DOP504
FROM python:3.12-slim
ENV PORT=8000
COPY . /app
WORKDIR /app
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import sys, urllib.request, urllib.error\ntry:\n    urllib.request.urlopen(\"http://127.0.0.1:8000/\", timeout=5)\nexcept urllib.error.HTTPError as e:\n    sys.exit(e.code >= 500)\nexcept Exception:\n    sys.exit(1)"]
CMD gunicorn -b :$PORT app:app
