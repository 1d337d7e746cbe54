# dopt-test: --unsafe-fixes
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /documents /var/log/indexer
COPY indexer.py /usr/local/lib/indexer/indexer.py
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
 && mkdir -p /documents /var/log/indexer \
 && chown 10001:10001 /documents /var/log/indexer
USER 10001:10001
CMD ["python3", "/usr/local/lib/indexer/indexer.py", "--out", "/documents"]
