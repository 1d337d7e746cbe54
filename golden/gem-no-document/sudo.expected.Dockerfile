FROM ubuntu:22.04
RUN sudo gem install --no-document sass || true
