FROM debian:bookworm
RUN wget https://example.com/a.tgz
