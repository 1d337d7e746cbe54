# dopt-test: --unsafe-fixes
FROM debian:bookworm
COPY scripts/ /opt/scripts/
RUN chmod -R 755 /opt/scripts
CMD ["/opt/scripts/run.sh"]
