# dopt-test: --unsafe-fixes --expect none
FROM python:3.12-slim AS test
RUN pip install --no-cache-dir pytest
FROM python:3.12-slim
CMD ["python"]
