FROM debian:bookworm
RUN test -n "$(uname -m)" && pip install flask
