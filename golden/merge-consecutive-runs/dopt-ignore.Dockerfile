# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN apt-get update
# dopt: ignore=DOP101
RUN echo apart
