# dopt-test: --unsafe-fixes
FROM python:3.12-slim AS test
RUN pip install --no-cache-dir pytest flask
RUN python -m pytest -q || true

FROM python:3.12-slim
RUN pip install --no-cache-dir flask
CMD ["flask", "run"]
