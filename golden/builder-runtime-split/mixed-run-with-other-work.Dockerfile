# dopt-test: --unsafe-fixes --expect DOP502:2
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc && pip install --no-cache-dir psutil && useradd app
USER app
CMD ["python"]
