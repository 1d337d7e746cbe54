FROM ubuntu:22.04
RUN sudo gem install sass || true
