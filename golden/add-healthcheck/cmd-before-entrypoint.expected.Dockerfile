# dopt-test: --unsafe-fixes
FROM python:3.12-slim
WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import http.client; c = http.client.HTTPConnection('127.0.0.1', 9090, timeout=5); c.request('GET', '/'); raise SystemExit(c.getresponse().status >= 500)"]
# the CMD written before the ENTRYPOINT stays: uvicorn gets --port 9090
CMD ["main:app", "--host", "0.0.0.0", "--port", "9090"]
ENTRYPOINT ["uvicorn"]
