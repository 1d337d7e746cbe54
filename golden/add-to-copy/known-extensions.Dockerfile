FROM python:3.11-slim
WORKDIR /app
ADD requirements.txt app.py /app/
