# dopt-test: --unsafe-fixes
FROM python:3.11-slim
ENV HF_HOME=/models \
    TRANSFORMERS_CACHE=/models/transformers
WORKDIR /srv
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
RUN python -c "from huggingface_hub import snapshot_download; snapshot_download('org/model')"
COPY . .
CMD ["python", "serve.py"]
