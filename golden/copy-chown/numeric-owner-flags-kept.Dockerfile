# dopt-test: --unsafe-fixes
FROM python:3.11-slim
COPY --from=build --link /venv /venv
RUN chown -R 1000:1000 /venv/
