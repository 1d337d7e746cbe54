# dopt-test: --unsafe-fixes --select DOP504
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl gunicorn && rm -rf /var/lib/apt/lists/*
COPY app.py /srv/
WORKDIR /srv
CMD ["/bin/sh", "-c", "exec gunicorn -b 0.0.0.0:${PORT:-9000} app:app"]
