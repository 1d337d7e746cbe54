FROM python:3.11-slim
RUN pip3 install --no-cache-dir -U pip && python -m pip install --no-cache-dir flask && python3.11 -m pip install --no-cache-dir "uvicorn[standard]"
