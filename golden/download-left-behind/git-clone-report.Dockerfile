# dopt-test: --expect DOP212:3
FROM python:3.12-slim
RUN git clone https://github.com/example/app.git /src/app && pip install --no-cache-dir /src/app
