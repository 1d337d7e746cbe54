# dopt-test: --unsafe-fixes --expect DOP214:3
FROM debian:bookworm
RUN apt update && apt upgrade -y
