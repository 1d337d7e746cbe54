# dopt-test: --expect DOP430:3
FROM debian:bookworm
RUN [[ -f /etc/os-release ]] && echo found
