# dopt-test: --unsafe-fixes --select DOP504
FROM python:3.12-slim
WORKDIR /app
COPY app.py .
RUN pip install --no-cache-dir flask
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%d' % int(os.environ.get('PORT') or 5000) + '/healthz', timeout=5)"]
CMD ["python", "app.py"]
