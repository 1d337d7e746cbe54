# dopt-test: --unsafe-fixes
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt cython
COPY . .
RUN python setup.py build_ext --inplace
CMD ["python", "run.py"]
