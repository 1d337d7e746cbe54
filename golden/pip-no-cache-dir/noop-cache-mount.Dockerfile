# syntax=docker/dockerfile:1
FROM python:3.11
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
