# dopt-test: --unsafe-fixes
# Django on the full image: the build needs gcc and libpq-dev, the runtime only libpq5.
FROM python:3.11
ENV PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN pip install --no-cache-dir psycopg2==2.9.9 django gunicorn
COPY . .
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "mysite.wsgi"]
