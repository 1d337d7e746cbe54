# dopt-test: --unsafe-fixes
FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN dnf install -y python3.11 && dnf clean all
WORKDIR /opt/app
COPY main.py .
CMD ["python3.11", "main.py"]
