# dopt-test: --unsafe-fixes --expect DOP305:3
FROM alpine:3.20
RUN wget -qO- https://x | tar -xz
