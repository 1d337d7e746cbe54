FROM python:3.11-slim
ENV VIRTUAL_ENV=/venv
RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir psycopg2
CMD ["python", "app.py"]
