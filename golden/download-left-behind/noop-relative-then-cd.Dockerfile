# dopt-test: --expect DOP212:4
# an image dopt does not know: its WORKDIR, where x.tgz lands, is unknown
FROM example.org/team/toolbox:1
RUN curl -fsSLO https://example.com/x.tgz && tar -xzf x.tgz && cd x && make install
