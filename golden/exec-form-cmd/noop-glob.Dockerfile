# dopt-test: --unsafe-fixes --expect DOP304:3
FROM python:3.12-slim
CMD python /app/*.py
