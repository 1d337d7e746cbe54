# dopt-test: --expect DOP430:3,DOP430:3
FROM debian:bookworm
RUN cd /app; tar xf $ARCHIVE
