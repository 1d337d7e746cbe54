# dopt-test: --expect none
FROM debian:bookworm
COPY app.py /app/
