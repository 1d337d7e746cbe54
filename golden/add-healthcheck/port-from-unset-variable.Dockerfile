# dopt-test: --unsafe-fixes --expect DOP504:2
FROM python:3.12-slim
RUN pip install --no-cache-dir gunicorn
CMD gunicorn -b 0.0.0.0:$APP_PORT app:app
