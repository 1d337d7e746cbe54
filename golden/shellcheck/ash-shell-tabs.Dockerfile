# dopt-test: --expect DOP430:4,DOP430:4
FROM alpine:3.20
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
RUN	mkdir -p /x && cd /x && wget -qO- https://example.com/a.tgz | tar xz; cd $OLDPWD
