FROM fedora:40
RUN dnf clean all
