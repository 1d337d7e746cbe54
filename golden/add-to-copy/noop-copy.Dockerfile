FROM python:3.11
COPY app.py /app/
