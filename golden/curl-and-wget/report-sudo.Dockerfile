# dopt-test: --expect DOP412:4
FROM alpine:3
RUN wget https://a
RUN sudo curl https://b || true
