FROM debian:bookworm
RUN if [ -f /etc/os-release ]; then pip install --no-cache-dir flask; fi
