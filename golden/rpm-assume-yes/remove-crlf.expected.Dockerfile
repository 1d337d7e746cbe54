FROM fedora:40
RUN dnf remove -y gcc && dnf clean all
