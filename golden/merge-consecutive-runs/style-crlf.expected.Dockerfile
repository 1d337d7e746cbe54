FROM debian:bookworm-slim
# the file's other RUNs chain their lines the other way
RUN mkdir -p /srv/a \
    && mkdir -p /srv/b \
    && mkdir -p /srv/c \
    && mkdir -p /srv/d
RUN curl -fsSL -o /tmp/t.tgz https://example.com/t.tgz && \
  tar -xzf /tmp/t.tgz -C /opt && \
  rm /tmp/t.tgz
