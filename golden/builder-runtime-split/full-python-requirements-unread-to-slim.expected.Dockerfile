# dopt-test: --unsafe-fixes
# python:3.11 installs no build packages, and requirements.txt is not in the build context dopt sees: its only
# build is pip's, so the split onto -slim is proposed (unsafe), naming the compilers and the file not read.
FROM python:3.11 AS builder
WORKDIR /app
COPY requirements.txt .
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.11-slim
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
COPY . .
CMD ["python", "app.py"]
