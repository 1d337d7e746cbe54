FROM debian:bookworm
RUN echo start \
    # note
    && pip install flask
