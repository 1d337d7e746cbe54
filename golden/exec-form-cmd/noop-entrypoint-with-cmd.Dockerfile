# dopt-test: --unsafe-fixes
FROM debian:bookworm
ENTRYPOINT app
CMD ["--help"]
