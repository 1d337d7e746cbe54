FROM debian:bookworm AS build
RUN cd /tmp && wget --progress=dot:giga "https://example.com/$VERSION.tgz" || true
FROM build
RUN /usr/bin/wget --progress=dot:giga -O- https://example.com/k.asc | gpg --import
