FROM debian:bookworm
RUN echo start \
    # note
    && composer install
