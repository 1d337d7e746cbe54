FROM debian:bookworm-slim
# the file's other RUNs chain their lines the other way
RUN mkdir -p /srv/a && \
    mkdir -p /srv/b && \
    mkdir -p /srv/c && \
    mkdir -p /srv/d
RUN apt-get update \
	&& apt-get install --no-install-recommends curl \
	&& rm -rf /var/lib/apt/lists/*
