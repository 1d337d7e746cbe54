# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99norecommends
RUN apt-get install -y curl
