FROM python:3.12-slim
RUN apt-get update \
    # fetch the tool
    && sudo wget -O /tmp/t.tgz "$URL" \
    && tar -xzf /tmp/t.tgz