# dopt-test: --unsafe-fixes
FROM python:3.11-slim
ENV PORT=8000
CMD ["/bin/sh", "-c", "exec gunicorn -b \"0.0.0.0:$PORT\" app:app"]
