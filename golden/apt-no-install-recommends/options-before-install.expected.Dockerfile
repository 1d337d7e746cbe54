# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN apt-get -qq -o Dpkg::Options::=--force-confnew install --no-install-recommends -y nginx
