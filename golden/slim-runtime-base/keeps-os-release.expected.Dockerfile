# dopt-test: --unsafe-fixes
FROM python:3.12-slim-bookworm
COPY job.py /job.py
CMD ["python", "/job.py"]
