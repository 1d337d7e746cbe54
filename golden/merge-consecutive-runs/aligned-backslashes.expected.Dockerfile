# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN mkdir -p /opt/app                  && \
    chmod 755 /opt/app                 && \
    touch /opt/app/.keep               && \
    echo done
