FROM python:3.11
RUN ["pip", "install", "flask"]
