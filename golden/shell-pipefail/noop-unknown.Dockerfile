# dopt-test: --unsafe-fixes --expect DOP305:3
FROM mycorp/base:1
RUN cat a | sort
