# dopt-test: --unsafe-fixes --expect DOP306:3
FROM mycorp/base:1
RUN sudo apt-get update
