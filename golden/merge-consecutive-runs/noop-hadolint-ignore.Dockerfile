# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN apt-get update
# hadolint ignore=DL3059
RUN echo separate on purpose
