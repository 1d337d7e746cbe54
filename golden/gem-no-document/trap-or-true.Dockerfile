FROM debian:bookworm
RUN gem install rake || true
