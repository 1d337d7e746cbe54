# dopt-test: --expect none
FROM python:3.12
# hadolint ignore=DL3045
COPY app.py .
