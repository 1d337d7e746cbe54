# dopt-test: --expect DOP301:3
FROM python:3.11
ADD app.py .
