# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN echo one && \
    echo two
