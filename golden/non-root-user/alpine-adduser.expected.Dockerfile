# dopt-test: --unsafe-fixes
FROM alpine:3.20
RUN apk add --no-cache python3
COPY app.py /srv/app.py
WORKDIR /srv
RUN addgroup -S -g 10001 app \
 && adduser -S -D -h /home/app -u 10001 -G app app \
 && mkdir -p /srv \
 && chgrp 10001 /srv \
 && chmod g+w,+t /srv
USER 10001:10001
ENTRYPOINT ["python3", "app.py"]
