# dopt-test: --unsafe-fixes --select DOP503
# golang's WORKDIR is /go: the relative WORKDIR is /go/app, where the code is copied
FROM golang:1.22-bookworm
WORKDIR app
COPY . .
RUN go build -o server . && mkdir -p data
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
 && mkdir -p /go/app /go/app/data \
 && chown 10001:10001 /go/app/data \
 && chgrp 10001 /go/app \
 && chmod g+w,+t /go/app
USER 10001:10001
CMD ["./server"]
