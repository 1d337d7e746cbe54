# dopt-test: --expect DOP212:6
# `WORKDIR build` on an image dopt does not know: the folder is unknown, so the archive cannot be named after the cd
ARG BASE=example.org/team/builder:2
FROM ${BASE}
WORKDIR build
RUN curl -fsSL -o tool.tgz https://example.com/tool.tgz && tar -xzf tool.tgz && cd tool && ./install.sh
