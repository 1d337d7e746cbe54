# dopt-test: --unsafe-fixes
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends git make && rm -rf /var/lib/apt/lists/*
COPY toolbox.rc /etc/toolbox.rc
CMD ["bash", "--rcfile", "/etc/toolbox.rc", "-l"]
