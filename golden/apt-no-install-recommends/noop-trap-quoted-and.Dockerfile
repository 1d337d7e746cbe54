# dopt-test: --unsafe-fixes
FROM debian:bookworm
RUN echo "apt-get install -y curl && echo" > /notes.txt
