# dopt-test: --unsafe-fixes --select DOP304,DOP504
FROM python:3.12-slim
ENV PORT=8000
COPY . /app
WORKDIR /app
CMD gunicorn -b :$PORT app:app
