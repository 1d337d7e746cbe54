# dopt-test: --expect DOP430:6
FROM debian:bookworm
RUN apt-get update && \
    # a comment line inside the continuation
    apt-get install -y curl && \
    cp /src/* $DEST/
