# dopt-test: --unsafe-fixes
FROM python:3.11-slim
COPY . /app
WORKDIR /app
RUN pip install --no-cache-dir flask
ENV FLASK_APP=app.py
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import sys, urllib.request, urllib.error\ntry:\n    urllib.request.urlopen(\"http://127.0.0.1:5000/\", timeout=5)\nexcept urllib.error.HTTPError as e:\n    sys.exit(e.code >= 500)\nexcept Exception:\n    sys.exit(1)"]
CMD ["flask", "run", "--host=0.0.0.0"]
