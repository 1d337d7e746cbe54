FROM python:3.12
WORKDIR /a
WORKDIR build
WORKDIR out  
