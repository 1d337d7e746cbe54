# dopt-test: --unsafe-fixes
# requirements.txt is not in the build context dopt sees: the runtime stage keeps the full image.
FROM python:3.9
RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "-m", "worker"]
