# dopt-test: --option merge-consecutive-runs.merge=always
FROM debian:bookworm
RUN --mount=type=cache,target=/var/cache/apt apt-get update
RUN --network=none make test
