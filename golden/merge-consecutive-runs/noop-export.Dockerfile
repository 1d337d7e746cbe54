FROM debian:bookworm
RUN export PATH=/opt/bin:$PATH
RUN tool --version
