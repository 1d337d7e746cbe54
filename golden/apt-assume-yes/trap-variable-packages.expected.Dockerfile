FROM debian:bookworm
RUN apt-get install -y curl $PKGS
