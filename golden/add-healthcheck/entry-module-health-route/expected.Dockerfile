# dopt-test: --unsafe-fixes
FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py .
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import sys, urllib.request, urllib.error\ntry:\n    urllib.request.urlopen(\"http://127.0.0.1:8000/healthz\", timeout=5)\nexcept urllib.error.HTTPError as e:\n    sys.exit(1)\nexcept Exception:\n    sys.exit(1)"]
CMD ["python", "app.py"]
