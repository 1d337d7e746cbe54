# dopt-test: --expect none
FROM python:3.12-slim
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
RUN pip install --no-cache-dir --prefix=/usr/local gunicorn
RUN chmod +x /usr/local/bin/entrypoint.sh
