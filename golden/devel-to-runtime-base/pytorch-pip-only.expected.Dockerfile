# dopt-test: --unsafe-fixes
FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime
WORKDIR /app
RUN pip install --no-cache-dir transformers==4.44.2 accelerate
COPY infer.py .
CMD ["python", "infer.py"]
