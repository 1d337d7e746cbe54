# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN if [ "$(uname -m)" = "x86_64" ]; then apt-get install -y libc6-i386; fi
