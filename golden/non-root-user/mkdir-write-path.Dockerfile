# dopt-test: --unsafe-fixes
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /documents /var/log/indexer
COPY indexer.py /usr/local/lib/indexer/indexer.py
CMD ["python3", "/usr/local/lib/indexer/indexer.py", "--out", "/documents"]
