# dopt-test: --expect DOP403:2
FROM python:latest
RUN true
