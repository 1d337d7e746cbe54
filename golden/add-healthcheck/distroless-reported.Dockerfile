# dopt-test: --unsafe-fixes --expect DOP504:4
FROM python:3.12-slim AS build
RUN pip install --no-cache-dir --target /deps uvicorn
FROM gcr.io/distroless/cc-debian12
COPY --from=build /deps /deps
EXPOSE 8000
CMD ["/usr/bin/uvicorn", "main:app"]
