# dopt-test: --unsafe-fixes --select DOP303 --expect DOP303:5
FROM python:3.12-slim
RUN useradd -m app && mkdir -p "/srv2/logs" /code/logs
COPY . /code
RUN chown -R app:app /code
