# dopt-test: --unsafe-fixes --expect DOP306:4
FROM debian:bookworm
USER $APP_USER
RUN sudo apt-get update
