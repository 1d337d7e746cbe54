FROM python:3.11-slim
RUN pip3 install -U pip && pynt mh-o pip install flasbian:bookworm

RUN apt-get update icorn[standard]"
