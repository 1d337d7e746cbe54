FROM debian:bookworm AS build
RUN cd /tmp && wget "https://example.com/$VERSION.tgz" || true
FROM build
RUN /usr/bin/wget -O- https://example.com/k.asc | gpg --import
