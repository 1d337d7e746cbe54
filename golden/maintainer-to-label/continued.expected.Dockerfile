FROM debian:bookworm
LABEL maintainer="Jane Doe     <jane@example.com>"
RUN true
