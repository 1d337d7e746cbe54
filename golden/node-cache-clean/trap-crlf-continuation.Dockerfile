FROM debian:bookworm
RUN echo start \
    # note
    && npm ci
