# dopt-test: --unsafe-fixes
FROM python:3.11-slim
COPY --chown=1000:1000 --from=build --link /venv /venv
