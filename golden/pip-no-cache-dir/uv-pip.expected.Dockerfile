FROM python:3.12-slim
RUN pip install --no-cache-dir uv && uv pip install --no-cache --system httpx
