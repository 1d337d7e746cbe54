# dopt-test: --unsafe-fixes
FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      curl=7.88.1-10+deb12u5 \
      libgomp1 \
      libxml2-dev \
      libxslt1-dev \
      gcc \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir lxml==5.2.2 scikit-learn
COPY predict.py .
CMD ["python", "predict.py"]
