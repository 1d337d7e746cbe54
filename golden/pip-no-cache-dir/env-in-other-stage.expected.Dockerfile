FROM python:3.11 AS a
ENV PIP_NO_CACHE_DIR=1
RUN pip install flask

FROM python:3.11 AS b
RUN pip install --no-cache-dir flask
