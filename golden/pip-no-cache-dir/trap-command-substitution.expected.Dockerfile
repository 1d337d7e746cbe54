FROM debian:bookworm
RUN test -n "$(uname -m)" && pip install --no-cache-dir flask
