# dopt-test: --unsafe-fixes
# A RUN after the build (a user and a data folder) needs a shell: the static binary runs on debian:bookworm-slim.
FROM golang:1.22
WORKDIR /app
COPY . .
RUN cd cmd/worker && CGO_ENABLED=0 go build -o /usr/local/bin/worker .
RUN useradd --system worker && mkdir -p /data && chown worker /data
USER worker
VOLUME /data
CMD ["worker", "--data", "/data"]
