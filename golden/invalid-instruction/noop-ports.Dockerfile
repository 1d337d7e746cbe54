# dopt-test: --expect none
FROM debian:bookworm-slim
ARG PORT=8000
EXPOSE $PORT 9000/udp 7000-7010 53/tcp
