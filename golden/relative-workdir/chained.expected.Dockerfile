FROM python:3.12
WORKDIR /a
WORKDIR /a/build
WORKDIR /a/build/out  
