# dopt-test: --unsafe-fixes
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server python3 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/run/sshd && chown root:root /var/run/sshd
WORKDIR /app
COPY app.py .
CMD ["python3", "app.py"]
