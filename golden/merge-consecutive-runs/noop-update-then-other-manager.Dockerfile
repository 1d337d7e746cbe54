FROM python:3.11-slim
RUN apt-get update
RUN pip install flask
