FROM alpine:3.20
RUN wget -O /usr/local/bin/gosu https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64
RUN chmod +x /usr/local/bin/gosu
