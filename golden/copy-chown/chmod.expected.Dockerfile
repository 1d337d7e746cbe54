# dopt-test: --unsafe-fixes
FROM debian:bookworm
COPY --chmod=755 scripts/ /app/scripts/
CMD ["/app/scripts/run.sh"]
