# dopt-test: --unsafe-fixes --expect DOP603:3
ARG PY=3.11
FROM python:${PY}
CMD ["python"]
