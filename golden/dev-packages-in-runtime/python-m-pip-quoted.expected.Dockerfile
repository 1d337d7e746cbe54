# dopt-test: --unsafe-fixes
FROM python:3.10-slim
RUN python -m pip install --no-cache-dir "uvicorn[standard]" fastapi
CMD ["uvicorn", "main:app"]
