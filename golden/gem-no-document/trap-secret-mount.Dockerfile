FROM debian:bookworm
RUN --mount=type=secret,id=tok gem install rake
