FROM python:3.12-slim
# the file's other RUNs chain their lines the other way
RUN mkdir -p /srv/a && \
    mkdir -p /srv/b && \
    mkdir -p /srv/c && \
    mkdir -p /srv/d
RUN pip install --no-cache-dir flask \
    && pip install --no-cache-dir gunicorn
