FROM debian:bookworm-slim
RUN groupadd --system app && useradd --system --gid app app
RUN mkdir -p /data /app/logs
RUN ln -s /data /app/data
RUN echo "app ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/app
RUN chown -R app:app /data /app
