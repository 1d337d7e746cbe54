# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN apt-get update && apt-get install -y build-essential
# dopt: keep
RUN make -j4
