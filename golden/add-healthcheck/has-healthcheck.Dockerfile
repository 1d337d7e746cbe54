# dopt-test: --unsafe-fixes --expect none
FROM python:3.12-slim
RUN pip install --no-cache-dir uvicorn
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000')"
CMD ["uvicorn", "main:app"]
