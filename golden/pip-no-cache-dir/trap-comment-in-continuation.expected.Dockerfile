FROM debian:bookworm
RUN echo start \
    # note
    && pip install --no-cache-dir flask
