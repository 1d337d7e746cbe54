# dopt-test: --expect DOP212:3
FROM golang:1.22
RUN git clone --depth 1 https://github.com/example/tool.git && make -C tool install
