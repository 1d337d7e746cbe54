# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN <<EOF bash
set -e
python -m pip install \
    requests==2.32.3
EOF
