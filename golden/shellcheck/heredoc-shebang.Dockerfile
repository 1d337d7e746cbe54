# dopt-test: --expect DOP430:5,DOP430:5
FROM debian:bookworm
RUN <<EOF
#!/bin/bash
[[ -f /etc/os-release ]] && echo $version
EOF
