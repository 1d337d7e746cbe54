# dopt-test: --expect none
FROM debian:bookworm
RUN apt-get install -y curl=7.88.1-10 ./pkg.deb && apt-get install -y -t bookworm-backports git=1:2.43
