# dopt-test: --unsafe-fixes
FROM alpine:3.20
RUN apk add --no-cache python3
ENV XDG_CONFIG_HOME=/config
COPY tool.py /usr/local/bin/tool.py
RUN addgroup -S -g 10001 app \
 && adduser -S -D -h /home/app -u 10001 -G app app \
 && mkdir -p /config \
 && chown -R 10001:10001 /config
USER 10001:10001
ENTRYPOINT ["python3", "/usr/local/bin/tool.py"]
