# dopt-test: --unsafe-fixes --expect none
FROM python:3.12-slim
CMD exec python -m http.server 8000
