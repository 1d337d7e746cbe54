# dopt-test: --unsafe-fixes --select DOP504
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl gunicorn && rm -rf /var/lib/apt/lists/*
COPY app.py /srv/
WORKDIR /srv
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/bin/sh", "-c", "curl -sS -o /dev/null http://127.0.0.1:${PORT:-9000}/"]
CMD ["/bin/sh", "-c", "exec gunicorn -b 0.0.0.0:${PORT:-9000} app:app"]
