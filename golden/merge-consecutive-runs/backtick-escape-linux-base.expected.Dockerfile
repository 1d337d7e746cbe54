# escape=`
FROM debian:bookworm-slim
RUN mkdir -p /app/logs `
    && chmod 755 /app `
    && ln -s /app/logs /var/log/app
