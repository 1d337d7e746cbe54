# dopt-test: --unsafe-fixes
FROM python:3.12-slim AS app
WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["main:app", "--host", "0.0.0.0", "--port", "9090"]

# the ENTRYPOINT drops the CMD this stage inherits: uvicorn runs on its default port
FROM app
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import http.client; c = http.client.HTTPConnection('127.0.0.1', 8000, timeout=5); c.request('GET', '/'); raise SystemExit(c.getresponse().status >= 500)"]
ENTRYPOINT ["uvicorn", "main:app", "--host", "0.0.0.0"]
