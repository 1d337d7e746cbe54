# dopt-test: --unsafe-fixes
# Three things stand in the way of a split: each line is named, not only the first.
FROM python:3.11-slim
WORKDIR $APP_HOME
RUN apt-get update && apt-get install -y gcc && pip install --no-cache-dir psutil && useradd app
ONBUILD COPY . /app
CMD ["python"]
