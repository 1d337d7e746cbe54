FROM rockylinux:9
RUN dnf install -y wget \
 && env http_proxy=x wget --progress=dot:giga https://example.com/a \
 && echo done
