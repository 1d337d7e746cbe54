# dopt-test: --unsafe-fixes --expect DOP503:2
FROM ubuntu:22.04
COPY lib/ /opt/vendor/lib/
COPY server /usr/local/bin/server
ENTRYPOINT ["/bin/sh", "-c", "echo /opt/vendor/lib > /etc/ld.so.conf.d/vendor.conf && ldconfig && exec server"]
