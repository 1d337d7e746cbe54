# dopt-test: --expect none
FROM python:3.11-slim
RUN true
