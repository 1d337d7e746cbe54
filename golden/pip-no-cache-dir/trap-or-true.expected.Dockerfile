FROM debian:bookworm
RUN pip install --no-cache-dir flask || true
