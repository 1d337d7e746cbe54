# dopt-test: --unsafe-fixes
FROM debian:bookworm
COPY --chmod=755 scripts/ /opt/scripts/
CMD ["/opt/scripts/run.sh"]
