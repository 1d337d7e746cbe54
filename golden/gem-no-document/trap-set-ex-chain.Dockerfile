FROM debian:bookworm
RUN set -ex; \
    gem install rake
