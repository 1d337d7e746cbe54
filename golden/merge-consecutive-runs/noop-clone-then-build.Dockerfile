# dopt-test: --expect none
FROM golang:1.22
RUN git clone --depth 1 https://github.com/example/tool.git /src/tool
RUN make -C /src/tool install
