# dopt-test: --unsafe-fixes
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements-test.txt
CMD ["python", "-m", "pytest", "-q", "tests/"]
