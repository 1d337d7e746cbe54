FROM debian:bookworm-slim
RUN curl -fsSLO https://example.com/dl/app.zip && unzip app.zip -d /opt/app && rm -f app.zip
