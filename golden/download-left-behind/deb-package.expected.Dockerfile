FROM ubuntu:24.04
RUN wget -q -O /tmp/pkg.deb https://example.com/pkg_1.0_amd64.deb \
    && dpkg -i /tmp/pkg.deb \
    && rm -f /tmp/pkg.deb
