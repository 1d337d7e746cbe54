FROM python:3.11
RUN pip install --no-cache-dir \
    # pinned for the model
    torch==2.3.0 \
    transformers || echo "install failed" && false
