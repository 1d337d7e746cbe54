# dopt-test: --unsafe-fixes
FROM python:3.10-slim
RUN pip install --no-cache-dir requests
CMD ["python", "-c", "import requests"]
