# dopt-test: --expect DOP411:3
FROM python:3.12-slim
COPY app.py .
WORKDIR /app
COPY b.py .
