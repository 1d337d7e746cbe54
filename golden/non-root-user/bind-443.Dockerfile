# dopt-test: --unsafe-fixes --expect DOP503:2
FROM python:3.12-slim
COPY . /app
WORKDIR /app
CMD ["gunicorn", "--bind", "0.0.0.0:443", "--certfile", "cert.pem", "app:app"]
