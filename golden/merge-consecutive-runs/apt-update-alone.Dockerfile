FROM python:3.11-slim

# system packages for psycopg2
RUN apt-get update
RUN apt-get install -y gcc libpq-dev
RUN pip install psycopg2
