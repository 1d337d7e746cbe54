# dopt-test: --option merge-consecutive-runs.merge=always
FROM python:3.12-slim
RUN pip install --no-cache-dir torch==2.3.1
RUN pip install --no-cache-dir "git+https://github.com/example/lib.git@main"
