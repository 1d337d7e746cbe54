# dopt-test: --expect DOP430:4,DOP430:4
FROM debian:bookworm
RUN echo "start" && \
    ls `pwd`
