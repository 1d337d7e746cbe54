# dopt-test: --unsafe-fixes
# The stage installs curl before it downloads with it: -slim works the same.
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/* \
 && curl -fsSL -o /usr/local/share/words.txt https://example.com/words.txt
RUN pip install --no-cache-dir requests
CMD ["python", "-m", "http.server"]
