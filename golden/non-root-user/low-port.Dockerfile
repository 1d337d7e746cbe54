# dopt-test: --unsafe-fixes --expect DOP503:2
FROM python:3.12-slim
COPY . /app
EXPOSE 80
CMD ["python", "-m", "http.server", "80", "--directory", "/app"]
