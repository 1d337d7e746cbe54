# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN <<EOF
set -eux
curl -fsSL -o /opt/node.tar.xz https://nodejs.org/dist/v20.15.0/node-v20.15.0-linux-x64.tar.xz
tar -xJf /opt/node.tar.xz -C /usr/local --strip-components=1
node --version
EOF
CMD ["node"]
