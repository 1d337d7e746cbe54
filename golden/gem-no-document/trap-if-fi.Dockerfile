FROM debian:bookworm
RUN if [ -f /etc/os-release ]; then gem install rake; fi
