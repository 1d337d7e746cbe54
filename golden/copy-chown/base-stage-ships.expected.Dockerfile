# dopt-test: --unsafe-fixes --select DOP303 --expect DOP303:4,DOP303:8
FROM python:3.12-slim AS Base
COPY --chown=1000:1000 requirements.txt /deps/

FROM base AS test
COPY tests /tests
RUN chown -R 1000:1000 /tests
RUN python -m pytest /tests

FROM BASE
COPY app /app
CMD ["python", "-m", "app"]
