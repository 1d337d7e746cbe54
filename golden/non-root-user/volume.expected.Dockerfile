# dopt-test: --unsafe-fixes --expect DOP503:2
FROM python:3.12-slim
COPY . /app
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
 && mkdir -p /app/data \
 && chown -R 10001:10001 /app/data
VOLUME /app/data
USER 10001:10001
CMD ["python", "/app/main.py"]
