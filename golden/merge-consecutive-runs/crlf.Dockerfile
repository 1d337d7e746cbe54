# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN apt-get update

# install
RUN apt-get install -y \
      curl
