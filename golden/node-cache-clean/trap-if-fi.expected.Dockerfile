FROM debian:bookworm
RUN if [ -f /etc/os-release ]; then npm ci; fi && npm cache clean --force
