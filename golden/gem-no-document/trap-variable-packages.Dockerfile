FROM debian:bookworm
RUN gem install rake $PKGS
