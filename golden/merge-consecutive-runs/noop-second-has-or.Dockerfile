# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN apt-get update
RUN apt-get install -y curl || echo "curl not available"
