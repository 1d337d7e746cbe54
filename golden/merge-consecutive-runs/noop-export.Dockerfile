# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN export PATH=/opt/bin:$PATH
RUN tool --version
