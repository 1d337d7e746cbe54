# dopt-test: --expect DOP410:3
FROM python:3.12-slim
RUN pip install --no-cache-dir flask "requests>=2" git+https://github.com/x/y.git