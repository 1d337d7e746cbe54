# dopt-test: --unsafe-fixes
FROM python:3.12-slim
ENV PORT=7000
COPY . /app
RUN pip install --no-cache-dir uvicorn fastapi
CMD uvicorn app.main:app --host 0.0.0.0 --port $PORT
