# dopt-test: --unsafe-fixes
FROM python:3.12-slim
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN pip install --no-cache-dir poetry==1.8.3 && poetry install --no-root --no-interaction
COPY . .
CMD ["poetry", "run", "python", "app.py"]
