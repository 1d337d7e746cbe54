# dopt-test: --unsafe-fixes
FROM python:3.12-slim
RUN pip install flask && rm -rf /root/.cache
