# dopt-test: --unsafe-fixes
# python:3.11 installs no build packages, and requirements.txt is not in the build context dopt sees: its only
# build is pip's, so the split onto -slim is proposed (unsafe), naming the compilers and the file not read.
FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
