FROM debian:bookworm
RUN set -ex; \
    gem install --no-document rake
