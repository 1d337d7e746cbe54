# dopt-test: --unsafe-fixes
FROM debian:bookworm-slim
RUN useradd --create-home appuser
COPY --chown=appuser run.sh /home/appuser/run.sh
USER appuser
CMD ["/home/appuser/run.sh"]
