FROM debian:bookworm
RUN test -n `uname -m` && gem install --no-document rake
