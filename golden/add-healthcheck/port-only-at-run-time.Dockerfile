# dopt-test: --unsafe-fixes --expect DOP504:2
FROM python:3.12-slim
COPY . /app
WORKDIR /app
EXPOSE 8080
CMD ["/bin/sh", "-c", "exec gunicorn --bind :$PORT app:app"]
