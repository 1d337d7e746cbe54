# dopt-test: --unsafe-fixes
FROM python:3.12-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
CMD uvicorn app:app --host 0.0.0.0 --port 8000
