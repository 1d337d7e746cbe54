# dopt-test: --option merge-consecutive-runs.merge=always
from debian:bookworm
run apt-get update && \
    apt-get install -y make