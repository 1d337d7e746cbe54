# dopt-test: --unsafe-fixes --expect DOP503:2
FROM python:3.12-slim
ARG DATA_ROOT
ENV UPLOAD_DIR=${DATA_ROOT}/uploads
COPY . /app
CMD ["python", "/app/main.py"]
