FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt app.py /app/
