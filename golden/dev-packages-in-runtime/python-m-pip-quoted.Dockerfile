# dopt-test: --unsafe-fixes
FROM python:3.10-slim
RUN python -m pip install --no-cache-dir "uvicorn[standard]" pre-commit==3.7.1 fastapi
CMD ["uvicorn", "main:app"]
