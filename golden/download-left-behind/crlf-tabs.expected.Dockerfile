FROM debian:bookworm-slim
RUN curl -fsSL -o /tmp/x.tgz https://example.com/x.tgz \
	&& tar -xzf /tmp/x.tgz -C /opt \
	&& rm -f /tmp/x.tgz
