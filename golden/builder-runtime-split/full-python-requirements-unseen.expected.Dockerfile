# dopt-test: --unsafe-fixes
# requirements.txt is not in the build context dopt sees: the runtime stage keeps the full image.
FROM python:3.9 AS builder
RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.9
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
CMD ["python", "-m", "worker"]
