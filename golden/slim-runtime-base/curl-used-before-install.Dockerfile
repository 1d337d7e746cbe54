# dopt-test: --unsafe-fixes
# curl runs before the stage installs it (it came from the full image): not switched.
FROM python:3.12
RUN curl -fsSL -o /usr/local/share/words.txt https://example.com/words.txt
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
CMD ["python", "-m", "http.server"]
