# dopt-test: --unsafe-fixes --select DOP503
# golang's WORKDIR is /go: the relative WORKDIR is /go/app, where the code is copied
FROM golang:1.22-bookworm
WORKDIR app
COPY . .
RUN go build -o server . && mkdir -p data
CMD ["./server"]
