FROM debian:bookworm
RUN for i in 1 2; do apk add --no-cache curl; done
