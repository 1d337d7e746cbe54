# dopt-test: --unsafe-fixes
FROM python:3.11-slim
COPY . /srv
WORKDIR /srv
RUN pip install --no-cache-dir gunicorn flask
CMD gunicorn --workers 2 --bind 0.0.0.0:5005 wsgi:app
