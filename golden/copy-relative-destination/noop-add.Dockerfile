# dopt-test: --expect none
FROM python:3.12
ADD app.py .
