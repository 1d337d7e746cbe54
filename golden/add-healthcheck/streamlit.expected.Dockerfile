# dopt-test: --unsafe-fixes
FROM python:3.10-slim
RUN pip install --no-cache-dir streamlit
COPY dashboard.py /app/dashboard.py
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import sys, urllib.request, urllib.error\ntry:\n    urllib.request.urlopen(\"http://127.0.0.1:8502/\", timeout=5)\nexcept urllib.error.HTTPError as e:\n    sys.exit(e.code >= 500)\nexcept Exception:\n    sys.exit(1)"]
ENTRYPOINT ["streamlit", "run", "/app/dashboard.py", "--server.port=8502", "--server.address=0.0.0.0"]
