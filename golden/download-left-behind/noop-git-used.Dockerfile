# dopt-test: --expect none
FROM python:3.12-slim
RUN git clone https://github.com/example/app.git /src/app && git -C /src/app checkout v1.2 && pip install --no-cache-dir /src/app
