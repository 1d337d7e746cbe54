# dopt-test: --option merge-consecutive-runs.merge=always
FROM golang:1.22 AS build
RUN go env && \
    go build -o /app .

FROM debian:bookworm-slim
COPY --from=build /app /app
RUN echo one && \
    echo two
