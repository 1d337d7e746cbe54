FROM debian:bookworm
MAINTAINER Jane Doe \
    <jane@example.com>
RUN true
