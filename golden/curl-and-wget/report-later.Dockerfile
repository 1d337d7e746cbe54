# dopt-test: --expect DOP412:4,DOP412:6
FROM ubuntu:24.04
RUN wget https://a
RUN /usr/bin/curl https://b
RUN echo done
RUN wget https://c
