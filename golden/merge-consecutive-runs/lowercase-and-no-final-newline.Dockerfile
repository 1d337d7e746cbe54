# dopt-test: --option merge-consecutive-runs.merge=always
from debian:bookworm
run apt-get update
run apt-get install -y make