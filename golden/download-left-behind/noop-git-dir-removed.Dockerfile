# dopt-test: --expect none
FROM python:3.12-slim
RUN git clone --depth 1 https://github.com/example/app.git /src/app && rm -rf /src/app/.git
