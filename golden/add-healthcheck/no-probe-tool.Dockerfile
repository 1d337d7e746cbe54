# dopt-test: --unsafe-fixes --expect DOP504:2
FROM debian:bookworm-slim
COPY gunicorn-bundle /opt/bundle
CMD ["/opt/bundle/gunicorn", "-b", "0.0.0.0:8000", "app:app"]
