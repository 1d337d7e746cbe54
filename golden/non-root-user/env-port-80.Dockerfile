# dopt-test: --unsafe-fixes --expect DOP503:2
FROM python:3.12-slim
ENV PORT=80
COPY . /app
WORKDIR /app
CMD gunicorn -b :$PORT app:app
