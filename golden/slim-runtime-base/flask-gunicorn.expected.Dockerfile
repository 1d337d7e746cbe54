# dopt-test: --unsafe-fixes
FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir flask==3.0.3 gunicorn
CMD ["gunicorn", "-b", ":8000", "app:app"]
