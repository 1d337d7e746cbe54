# dopt-test: --expect none
FROM debian:bookworm
RUN chmod u+w,g+r /app
