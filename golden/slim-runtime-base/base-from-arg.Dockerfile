# dopt-test: --unsafe-fixes --expect none
ARG PY=3.11
FROM python:${PY}
CMD ["python"]
