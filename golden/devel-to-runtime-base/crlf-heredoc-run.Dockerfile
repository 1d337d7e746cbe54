# dopt-test: --unsafe-fixes
# syntax=docker/dockerfile:1
FROM pytorch/pytorch:2.4.0-cuda12.4-cudnn9-devel
RUN <<EOF
pip install --no-cache-dir fastapi uvicorn
EOF
