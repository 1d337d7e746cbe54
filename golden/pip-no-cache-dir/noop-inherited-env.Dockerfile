FROM python:3.11 AS base
ARG PIP_NO_CACHE_DIR=1
FROM base
RUN pip install flask
