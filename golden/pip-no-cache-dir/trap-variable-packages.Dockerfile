FROM debian:bookworm
RUN pip install flask $PKGS
