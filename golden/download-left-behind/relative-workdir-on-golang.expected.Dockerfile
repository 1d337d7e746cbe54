# golang's WORKDIR is /go: `WORKDIR src` is /go/src, where the archive lands
FROM golang:1.22-bookworm
WORKDIR src
RUN set -eux; \
	wget -q https://example.com/protoc-25.1-linux-x86_64.zip; \
	unzip protoc-25.1-linux-x86_64.zip -d /usr/local; \
	cd /usr/local/include && ls && \
	rm -f /go/src/protoc-25.1-linux-x86_64.zip
