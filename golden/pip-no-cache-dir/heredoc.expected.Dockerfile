# syntax=docker/dockerfile:1
FROM python:3.11
RUN <<EOF
pip install --no-cache-dir flask
EOF
