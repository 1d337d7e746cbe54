# dopt-test: --unsafe-fixes
FROM python:3.10-slim
RUN pip install --no-cache-dir streamlit
COPY dashboard.py /app/dashboard.py
ENTRYPOINT ["streamlit", "run", "/app/dashboard.py", "--server.port=8502", "--server.address=0.0.0.0"]
