# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN rm -rf /tmp/cache || true
RUN echo "a && b" > /etc/motd
