# dopt-test: --expect DOP213:3
FROM mycorp/base:1
RUN wget https://example.com/a
