# dopt-test: --unsafe-fixes --expect DOP202:3
FROM debian:bookworm
RUN apt-get update && apt-get install -y python3-pip curl && rm -rf /var/lib/apt/lists/*
RUN pip install --break-system-packages uwsgi
