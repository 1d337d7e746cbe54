# dopt-test: --unsafe-fixes
FROM python:3.12-slim
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
RUN pip install --no-cache-dir ipython jupyter
CMD ["python", "-m", "app"]
