FROM debian:bookworm
RUN test -n `uname -m` && conda install -y numpy
