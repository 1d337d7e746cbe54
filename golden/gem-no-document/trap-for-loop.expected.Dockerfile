FROM debian:bookworm
RUN for i in 1 2; do gem install --no-document rake; done
