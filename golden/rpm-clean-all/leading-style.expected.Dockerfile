FROM rockylinux:9
RUN dnf -y install gcc \
    && gcc --version \
    && dnf clean all
