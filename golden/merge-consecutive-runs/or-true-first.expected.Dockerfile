# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN rm -rf /tmp/cache || true && \
    echo "a && b" > /etc/motd
