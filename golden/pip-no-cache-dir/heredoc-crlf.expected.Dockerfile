# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN <<EOF bash
set -e
python -m pip install --no-cache-dir \
    requests==2.32.3
EOF
