# dopt-test: --unsafe-fixes
FROM python:3.11-slim
RUN pip install --no-cache-dir requests mypy ruff
CMD ["python", "-m", "tool"]
