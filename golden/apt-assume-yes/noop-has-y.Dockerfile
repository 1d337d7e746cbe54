FROM debian:bookworm
RUN apt-get -y install curl && apt-get install --yes git && apt-get install -qq wget && apt-get install -qy jq
