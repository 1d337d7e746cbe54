FROM debian:bookworm
LABEL maintainer="ops@example.com"
