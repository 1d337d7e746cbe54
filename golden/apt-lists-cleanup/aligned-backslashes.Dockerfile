FROM debian:bookworm
RUN apt-get update                                  \
 && apt-get install -y --no-install-recommends curl \
 && echo done
