# dopt-test: --expect none
FROM debian:bookworm
RUN wget -qO- https://x | gpg --dearmor > /k.gpg
