# dopt-test: --unsafe-fixes --expect none
FROM python:3.12-slim
COPY worker.py /worker.py
CMD ["python", "/worker.py"]
