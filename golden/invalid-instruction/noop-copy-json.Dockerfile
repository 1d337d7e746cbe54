# dopt-test: --expect none
FROM debian:bookworm-slim
COPY ["a b.txt", "/app/"]
ADD --chown=1:1 x /y
