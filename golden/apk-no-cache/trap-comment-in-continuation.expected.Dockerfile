FROM debian:bookworm
RUN echo start \
    # note
    && apk add --no-cache curl
