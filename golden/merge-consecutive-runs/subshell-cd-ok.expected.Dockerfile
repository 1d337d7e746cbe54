FROM debian:bookworm
RUN (cd /usr/src && make) && \
    echo built
