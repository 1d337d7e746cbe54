# dopt-test: --unsafe-fixes --select DOP504
FROM python:3.12-slim
COPY . /app
WORKDIR /app
CMD uvicorn main:app --host 0.0.0.0 --port ${PORT:-8080}
