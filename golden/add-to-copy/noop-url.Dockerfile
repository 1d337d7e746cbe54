FROM debian:bookworm
ADD https://example.com/tool.sh /usr/local/bin/tool
