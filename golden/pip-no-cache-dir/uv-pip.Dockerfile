FROM python:3.12-slim
RUN pip install uv && uv pip install --system httpx
