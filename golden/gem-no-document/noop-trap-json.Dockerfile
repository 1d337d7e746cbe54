FROM debian:bookworm
RUN ["sh", "-c", "gem install rake"]
