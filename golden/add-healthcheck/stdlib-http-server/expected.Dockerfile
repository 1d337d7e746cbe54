# dopt-test: --unsafe-fixes
# The standard library's HTTPServer, no framework: the route compared with `self.path` is probed.
FROM python:3.12-slim
WORKDIR /srv
COPY server.py .
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=5)"]
CMD ["python", "server.py"]
