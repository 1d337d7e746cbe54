# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/x | tar -xz && \
    ls
