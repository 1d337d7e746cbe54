# dopt-test: --expect none
from debian:bookworm-slim
run echo hi
Shell ["/bin/bash", "-c"]
healthcheck NONE
stopsignal SIGTERM
