# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
ONBUILD RUN echo one
ONBUILD RUN echo two
