FROM debian:bookworm
RUN apt-get update \
    # the one tool we need
    && apt-get install \
       --no-install-recommends curl
