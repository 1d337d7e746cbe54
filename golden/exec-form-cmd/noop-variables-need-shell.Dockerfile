# dopt-test: --unsafe-fixes --expect DOP304:4
FROM python:3.11-slim
ENV PORT=8000
CMD gunicorn -b "0.0.0.0:$PORT" app:app
