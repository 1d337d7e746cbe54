# dopt-test: --unsafe-fixes --expect DOP503:2
FROM python:3.12-slim
COPY . /app
VOLUME /app/data
CMD ["python", "/app/main.py"]
