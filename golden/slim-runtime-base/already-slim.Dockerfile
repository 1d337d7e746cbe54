# dopt-test: --unsafe-fixes --expect none
FROM python:3.11-slim
CMD ["python"]
