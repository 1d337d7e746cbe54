# dopt-test: --unsafe-fixes --select DOP504
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir gunicorn flask
CMD ["gunicorn", "--workers", "2", "app:app"]
