# dopt-test: --unsafe-fixes
# Seven lines stand in the way: the first and four more are named, then how many are left.
FROM python:3.11-slim
ONBUILD RUN echo 1
ONBUILD RUN echo 2
ONBUILD RUN echo 3
ONBUILD RUN echo 4
ONBUILD RUN echo 5
ONBUILD RUN echo 6
ONBUILD RUN echo 7
RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir psutil
CMD ["python"]
