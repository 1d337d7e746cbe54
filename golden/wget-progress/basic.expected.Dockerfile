FROM debian:bookworm
RUN wget --progress=dot:giga https://example.com/a.tgz
