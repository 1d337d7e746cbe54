# dopt-test: --unsafe-fixes
FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN dnf install -y python3.11 && dnf clean all
WORKDIR /opt/app
COPY main.py .
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /sbin/nologin app \
 && mkdir -p /opt/app \
 && chgrp 10001 /opt/app \
 && chmod g+w,+t /opt/app
USER 10001:10001
CMD ["python3.11", "main.py"]
