# dopt-test: --unsafe-fixes
FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim
WORKDIR /app
COPY pyproject.toml uv.lock .python-version /app/
RUN uv sync --frozen --no-install-project --no-dev
COPY . /app
CMD ["uv", "run", "app.py"]
