# dopt-test: --unsafe-fixes
FROM debian:bookworm
COPY scripts/ /app/scripts/
RUN chmod -R 755 /app/scripts
CMD ["/app/scripts/run.sh"]
