# dopt-test: --unsafe-fixes
# The app prints its pinned requirements at start-up: the runtime stage keeps the file.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /srv
COPY requirements.txt /srv/requirements.txt
RUN pip install --no-cache-dir -r /srv/requirements.txt
COPY app.py .
CMD ["sh", "-c", "cat /srv/requirements.txt && exec python app.py"]
