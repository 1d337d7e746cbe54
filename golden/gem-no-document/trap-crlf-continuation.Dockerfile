FROM debian:bookworm
RUN echo start \
    # note
    && gem install rake
