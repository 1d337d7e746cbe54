# dopt-test: --unsafe-fixes
# The tag names the Debian release: the runtime goes on the -slim image of the same release.
FROM python:3.12-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gcc libxml2-dev libxslt1-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv
RUN pip install --no-cache-dir lxml==5.2.2
COPY feed.py .
ENTRYPOINT ["python", "feed.py"]
