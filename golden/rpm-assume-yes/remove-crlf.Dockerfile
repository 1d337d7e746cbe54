FROM fedora:40
RUN dnf remove gcc && dnf clean all
