# dopt-test: --unsafe-fixes
FROM alpine:3.20
RUN apk add --no-cache python3
ENV XDG_CONFIG_HOME=/config
COPY tool.py /usr/local/bin/tool.py
ENTRYPOINT ["python3", "/usr/local/bin/tool.py"]
