FROM debian:bookworm
LABEL maintainer="ops"