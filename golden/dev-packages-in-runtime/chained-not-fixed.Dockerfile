# dopt-test: --unsafe-fixes --expect DOP602:3
FROM python:3.12-slim
RUN pip install --no-cache-dir pytest && echo installed
CMD ["python"]
