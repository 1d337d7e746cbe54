# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN sleep 1 &
RUN echo next
