# dopt-test: --unsafe-fixes
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY dist/ /opt/bundle/
EXPOSE 8000
CMD ["/opt/bundle/gunicorn", "-b", "0.0.0.0:8000", "app:app"]
