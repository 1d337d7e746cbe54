FROM debian:bookworm-slim
RUN groupadd --system app && useradd --system --gid app app && \
    mkdir -p /data /app/logs && \
    ln -s /data /app/data && \
    echo "app ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/app && \
    chown -R app:app /data /app
