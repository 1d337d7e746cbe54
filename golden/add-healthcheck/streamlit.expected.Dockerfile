# dopt-test: --unsafe-fixes
FROM python:3.10-slim
RUN pip install --no-cache-dir streamlit
COPY dashboard.py /app/dashboard.py
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import http.client; c = http.client.HTTPConnection('127.0.0.1', 8502, timeout=5); c.request('GET', '/'); raise SystemExit(c.getresponse().status >= 500)"]
ENTRYPOINT ["streamlit", "run", "/app/dashboard.py", "--server.port=8502", "--server.address=0.0.0.0"]
