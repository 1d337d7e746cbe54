# dopt-test: --unsafe-fixes
# wsgiref's make_server with a literal port and no EXPOSE: the port comes from the call.
FROM python:3.12-slim
WORKDIR /srv
COPY app.py .
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import http.client; c = http.client.HTTPConnection('127.0.0.1', 8080, timeout=5); c.request('GET', '/'); raise SystemExit(c.getresponse().status >= 500)"]
CMD ["python", "app.py"]
