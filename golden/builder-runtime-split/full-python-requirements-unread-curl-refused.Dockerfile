# dopt-test: --unsafe-fixes
# requirements.txt is not read, and the HEALTHCHECK runs curl, which python:3.11-slim lacks.
FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
HEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1
CMD ["python", "app.py"]
