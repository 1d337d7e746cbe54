FROM debian:bookworm
WORKDIR /srv/
RUN make
WORKDIR "../opt/tool"