# dopt-test: --unsafe-fixes --expect DOP502:2
FROM python:3.11-alpine
RUN apk add --no-cache build-base libffi-dev
RUN pip install --no-cache-dir cffi
CMD ["python"]
