# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN (cd /usr/src && make)
RUN echo built
