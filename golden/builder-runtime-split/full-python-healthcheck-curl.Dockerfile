# dopt-test: --unsafe-fixes
# The health check runs curl, which only the full image has: the runtime stage stays on python:3.11.
FROM python:3.11
RUN apt-get update && apt-get install -y build-essential libxml2-dev && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir lxml fastapi uvicorn
COPY . /app
WORKDIR /app
HEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1
CMD ["uvicorn", "main:app", "--host", "0.0.0.0"]
