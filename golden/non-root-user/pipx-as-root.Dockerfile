# dopt-test: --unsafe-fixes --expect DOP503:2
FROM python:3.12-slim
RUN pip install --no-cache-dir pipx && pipx install poetry
COPY . /app
WORKDIR /app
CMD ["python", "main.py"]
