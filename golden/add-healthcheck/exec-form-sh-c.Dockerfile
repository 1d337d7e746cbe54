# dopt-test: --unsafe-fixes
FROM python:3.12-slim
ENV PORT=8080
COPY . /app
WORKDIR /app
CMD ["/bin/sh", "-c", "exec gunicorn --bind :$PORT app:app"]
