FROM debian:bookworm
RUN echo start \
    # note
    && apt-get install curl
