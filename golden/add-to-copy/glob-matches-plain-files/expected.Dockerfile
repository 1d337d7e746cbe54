FROM debian:bookworm-slim
WORKDIR /etc/app
COPY conf/app-* /etc/app/
