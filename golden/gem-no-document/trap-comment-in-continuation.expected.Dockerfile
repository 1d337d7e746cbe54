FROM debian:bookworm
RUN echo start \
    # note
    && gem install --no-document rake
