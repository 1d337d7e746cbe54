# dopt-test: --unsafe-fixes --expect DOP503:2
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN echo 'export TOOL_TOKEN_FILE=/run/secrets/token' >> ~/.profile
COPY tool /usr/local/bin/tool
CMD ["/bin/sh", "-lc", "tool serve"]
