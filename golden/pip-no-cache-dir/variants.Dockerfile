FROM python:3.11-slim
RUN pip3 install -U pip && python -m pip install flask && python3.11 -m pip install "uvicorn[standard]"
