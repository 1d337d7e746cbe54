# dopt-test: --unsafe-fixes --expect DOP503:2
FROM python:3.12-slim
COPY requirements.txt .
RUN pip install --user --no-cache-dir -r requirements.txt
ENV PATH=/root/.local/bin:$PATH
COPY . /app
CMD ["python", "/app/main.py"]
