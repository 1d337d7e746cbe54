# dopt-test: --unsafe-fixes
FROM python:3.12-slim AS builder
ENV FLASK_RUN_PORT 8000
EXPOSE 8000
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt

# port and EXPOSE come from `builder`, not flask's default 5000
FROM builder AS web
CMD ["flask", "run", "--host", "0.0.0.0"]
