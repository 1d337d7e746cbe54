# dopt-test: --unsafe-fixes
# Fine-tuning job: only pip installs and a script.
FROM pytorch/pytorch:2.2.2-cuda12.1-cudnn8-runtime

WORKDIR /workspace
RUN pip install --no-cache-dir transformers==4.41.2 datasets accelerate
COPY train.py .
CMD ["python", "train.py", "--epochs", "3"]
