FROM python:3.12
WORKDIR /a
WORKDIR /a/b
WORKDIR /a/b/c  
