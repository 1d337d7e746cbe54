# dopt-test: --unsafe-fixes --select DOP501,DOP502
# Pinned by digest: DOP501 leaves the tag alone, and DOP502 does not split onto an unpinned -runtime tag.
FROM pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV TORCH_CUDA_ARCH_LIST=8.0
RUN pip install --no-cache-dir flash-attn==2.6.3
COPY infer.py .
CMD ["python", "infer.py"]
