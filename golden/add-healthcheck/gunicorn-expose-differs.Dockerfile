# dopt-test: --unsafe-fixes --select DOP504 --expect DOP504:2
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir gunicorn flask
EXPOSE 5000
CMD ["gunicorn", "app:app"]
