# dopt-test: --unsafe-fixes
# git is a build package; the same RUN clones with it: replaying the RUN without git would fail.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y gcc git && git clone https://example.com/plugins /plugins && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir -r /plugins/requirements.txt
CMD ["python", "-m", "plugins"]
